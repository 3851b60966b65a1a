package dev.provision.playbooks.synapse;

import dev.provision.dsl.Host;

/**
 * What the owner of a running server allows the playbook to do with it, from host variables:
 * {@code synapse_port_sqlite: true} ports a SQLite database with data to PostgreSQL (without it the run stops
 * before any change), {@code synapse_dump_database: false} skips the pg_dump taken before the first change.
 */
record AdoptionOptions(boolean portSqlite, boolean dumpDatabase) {

    static final String PORT_SQLITE = "synapse_port_sqlite";
    static final String DUMP_DATABASE = "synapse_dump_database";

    static AdoptionOptions of(Host host) {
        return new AdoptionOptions(host.boolVar(PORT_SQLITE, false), host.boolVar(DUMP_DATABASE, true));
    }
}
