package dev.provision.engine.connect;

/** Opens the connection a host's settings ask for. */
public final class Connections {

    private Connections() {
    }

    /** A local shell for {@code connection: local}, else SSH: through the {@link ConnectionKeeper} when the settings persist it. */
    public static Connection open(ConnectionSettings settings) {
        if (settings.local()) {
            return LocalConnection.open(settings);
        }
        return settings.persist().isZero() ? SshConnection.open(settings) : KeptConnection.open(settings);
    }
}
