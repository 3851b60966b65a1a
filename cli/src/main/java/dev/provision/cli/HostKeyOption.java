package dev.provision.cli;

import dev.provision.engine.connect.ConnectionSettings;
import picocli.CommandLine.Option;

/** {@code --accept-new-host-keys}, shared by the commands that connect. */
final class HostKeyOption {

    @Option(names = "--accept-new-host-keys", description = "Add the keys of hosts not yet in known_hosts instead of refusing them;"
            + " a changed key is always refused.")
    boolean acceptNew;

    ConnectionSettings applyTo(ConnectionSettings settings) {
        return acceptNew ? settings.withKnownHosts(settings.knownHosts(), true) : settings;
    }
}
