package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Plan;
import dev.provision.task.Shell;

/**
 * Main answers {@code GET /health} on its HTTP listener. Workers started before main has migrated the
 * schema fail or, worse, run against a schema they do not expect, so the rollout waits here, up to
 * {@link #WAIT_SECONDS} seconds, printing main's journal when it gives up.
 */
final class MainHealthy extends OneFactTask<Boolean> {

    static final int WAIT_SECONDS = 300;

    private final String probe;

    MainHealthy(SynapseTopology topology) {
        this(probe(topology));
    }

    private MainHealthy(String probe) {
        super("main's /health", Fact.succeeds(probe));
        this.probe = probe;
    }

    @Override
    Plan planFor(Boolean healthy) {
        if (healthy) {
            return Plan.ok();
        }
        return Plan.of(Change.of("wait until main answers /health (up to " + WAIT_SECONDS + " s)",
                "i=0\n"
                        + "until " + probe + "; do\n"
                        + "  i=$((i + 1))\n"
                        + "  if [ \"$i\" -ge " + WAIT_SECONDS + " ]; then\n"
                        + "    journalctl -n 30 --no-pager -o short-iso -u " + SynapseDeployment.MAIN_SERVICE + " >&2\n"
                        + "    echo 'main did not answer /health within " + WAIT_SECONDS + " s: see its journal above' >&2\n"
                        + "    exit 1\n"
                        + "  fi\n"
                        + "  sleep 1\n"
                        + "done\n"));
    }

    /** One request to main's own HTTP listener: its socket, or its private address when nginx is elsewhere. */
    private static String probe(SynapseTopology topology) {
        Transports transports = new Transports(topology);
        String connection = transports.inboundOverTcp(SynapseTopology.MAIN)
                ? "http.client.HTTPConnection('" + transports.address(topology.machine()) + "', " + Transports.MAIN_INBOUND_PORT + ", timeout=5)"
                : "Unix('" + topology.inboundSocket(SynapseTopology.MAIN) + "')";
        String script = "import http.client, socket, sys\n"
                + "class Unix(http.client.HTTPConnection):\n"
                + "    def __init__(self, path):\n"
                + "        super().__init__('localhost', timeout=5)\n"
                + "        self.path = path\n"
                + "    def connect(self):\n"
                + "        self.sock = socket.socket(socket.AF_UNIX)\n"
                + "        self.sock.settimeout(5)\n"
                + "        self.sock.connect(self.path)\n"
                + "try:\n"
                + "    c = " + connection + "\n"
                + "    c.request('GET', '/health')\n"
                + "    sys.exit(0 if c.getresponse().status == 200 else 1)\n"
                + "except OSError:\n"
                + "    sys.exit(1)\n";
        return Shell.quote(topology.packageSource().python()) + " -c " + Shell.quote(script) + " 2>/dev/null";
    }
}
