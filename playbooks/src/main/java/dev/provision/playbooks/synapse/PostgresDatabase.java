package dev.provision.playbooks.synapse;

/**
 * The PostgreSQL database Synapse and all its workers share. The password never appears in the
 * model or in a rendered file: libpq reads it from {@link #passfile()}, a file the host generates.
 * By default Synapse connects over TCP to 127.0.0.1, where Debian's {@code pg_hba.conf} asks for a
 * password (scram-sha-256); over the UNIX socket Debian uses peer authentication, which only admits
 * a role named like the OS user {@code matrix-synapse}.
 *
 * <pre>{@code
 * PostgresDatabase.named("synapse").ownedBy("synapse").connectionPool(5, 10)
 * }</pre>
 */
public record PostgresDatabase(String name, String user, String host, int port, String passfile, int poolMin, int poolMax) {

    public static final String DEFAULT_PASSFILE = "/etc/matrix-synapse/secrets/pgpass";

    /** A database and role of this name on 127.0.0.1:5432, pool 5..10 as in Synapse's docs. */
    public static PostgresDatabase named(String name) {
        return new PostgresDatabase(name, name, "127.0.0.1", 5432, DEFAULT_PASSFILE, 5, 10);
    }

    public PostgresDatabase ownedBy(String role) {
        return new PostgresDatabase(name, role, host, port, passfile, poolMin, poolMax);
    }

    /** A host name, an address, or a directory holding PostgreSQL's UNIX socket. */
    public PostgresDatabase on(String host, int port) {
        return new PostgresDatabase(name, user, host, port, passfile, poolMin, poolMax);
    }

    public PostgresDatabase passfile(String path) {
        return new PostgresDatabase(name, user, host, port, path, poolMin, poolMax);
    }

    /** Connections each Synapse process keeps open at least and at most ({@code cp_min}, {@code cp_max}). */
    public PostgresDatabase connectionPool(int min, int max) {
        return new PostgresDatabase(name, user, host, port, passfile, min, max);
    }

    public boolean overUnixSocket() {
        return host.startsWith("/");
    }

    /**
     * What precedes the password on the passfile's one line ({@code host:port:database:user:}).
     * libpq matches a socket connection against the host {@code localhost}.
     */
    public String passfileLinePrefix() {
        String matchedHost = overUnixSocket() ? "localhost" : host;
        return String.join(":", escape(matchedHost), String.valueOf(port), escape(name), escape(user)) + ":";
    }

    private static String escape(String field) {
        return field.replace("\\", "\\\\").replace(":", "\\:");
    }
}
