package dev.provision.tasks.postgres;

/**
 * Roles and databases of the host's PostgreSQL cluster, managed through psql as the postgres user:
 * {@code Postgres.role("synapse").passwordFromFile("/etc/matrix-synapse/secrets/db_password")},
 * {@code Postgres.database("synapse").owner("synapse").encoding("UTF8").locale("C")}.
 */
public final class Postgres {

    private Postgres() {
    }

    /** A role that can log in. */
    public static PgRole role(String name) {
        return new PgRole(name);
    }

    public static PgDatabase database(String name) {
        return new PgDatabase(name);
    }
}
