package dev.provision.playbooks.synapse;

import java.util.List;
import java.util.Map;

/**
 * What PostgreSQL's machine must allow once Synapse machines connect from elsewhere: listening on its
 * private address ({@code listen_addresses} needs a restart), TLS on, scram-sha-256 passwords, and
 * {@code pg_hba.conf} lines admitting exactly the deployment's other Synapse machines over TLS
 * (reread on reload). {@code maxConnections} fits every process's pool on every machine.
 *
 * @param settings   {@code postgresql.conf} settings, values as PostgreSQL writes them
 * @param hbaLines   lines for {@code pg_hba.conf}, before Debian's own
 */
public record PostgresServer(Map<String, String> settings, List<String> hbaLines, int maxConnections) {

    public PostgresServer {
        settings = Map.copyOf(settings);
        hbaLines = List.copyOf(hbaLines);
    }
}
