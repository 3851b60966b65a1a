package dev.provision.playbooks.synapse;

/**
 * What must happen once a rendered file changed, as a handler would do it. Handlers should run in
 * the order {@link SynapseDeployment#serviceActions()} lists them: daemon-reload first, nginx last.
 */
public sealed interface ServiceAction {

    /** The command that carries the action out. */
    String command();

    /** Unit files or drop-ins changed. */
    record DaemonReload() implements ServiceAction {
        @Override
        public String command() {
            return "systemctl daemon-reload";
        }
    }

    record Restart(String unit) implements ServiceAction {
        @Override
        public String command() {
            return "systemctl restart " + unit;
        }
    }

    /** Reload without restart: SIGHUP for Synapse processes (log configuration), a graceful reload for nginx. */
    record Reload(String unit) implements ServiceAction {
        @Override
        public String command() {
            return "systemctl reload " + unit;
        }
    }
}
