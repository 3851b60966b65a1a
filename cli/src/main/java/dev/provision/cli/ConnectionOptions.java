package dev.provision.cli;

import dev.provision.engine.connect.ConnectionSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;

/** {@code --accept-new-host-keys} and {@code --persist}, shared by the commands that connect. */
final class ConnectionOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--accept-new-host-keys", description = "Add the keys of hosts not yet in known_hosts instead of refusing them;"
            + " a changed key is always refused.")
    boolean acceptNew;

    @Option(names = "--persist", paramLabel = "SECONDS", defaultValue = "0",
            description = "Keep each SSH connection open for SECONDS after the run, in a background process"
                    + " (~/.cache/provision/keeper), so that runs within that time skip the SSH handshake, like OpenSSH's"
                    + " ControlPersist; each run still gets a fresh shell. 0 closes connections with the run (default: ${DEFAULT-VALUE}).")
    long persist;

    ConnectionSettings applyTo(ConnectionSettings settings) {
        if (persist < 0) {
            throw new ParameterException(spec.commandLine(), "--persist must be 0 or more seconds, not " + persist);
        }
        ConnectionSettings.Builder builder = settings.toBuilder().persist(Duration.ofSeconds(persist));
        if (acceptNew) {
            builder.acceptNewHostKeys(true);
        }
        return builder.build();
    }
}
