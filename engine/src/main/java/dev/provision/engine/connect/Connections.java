package dev.provision.engine.connect;

/** Opens the connection a host's settings ask for. */
public final class Connections {

    private Connections() {
    }

    /** A local shell for {@code connection: local}, else SSH. */
    public static Connection open(ConnectionSettings settings) {
        return settings.local() ? LocalConnection.open(settings) : SshConnection.open(settings);
    }
}
