package dev.provision.playbooks.synapse;

import dev.provision.dsl.Host;

import java.util.Locale;

/**
 * A {@link SynapseTopology} from host variables, for inventories that use {@link SynapseServer} as it is:
 *
 * <pre>
 * server_name: example.com            # required: the domain in user IDs, cannot change later
 * public_hostname: matrix.example.com # nginx's server_name; default server_name
 * package_source: debian              # or matrix_org (the default)
 * initial_sync_workers: 2
 * normal_sync_workers: 3
 * single_stream_writer: false         # true: one worker "streamwriter" writes every stream
 * database_name: synapse              # the PostgreSQL database, to keep one a server already uses
 * database_user: synapse              # its owner role; default database_name
 * </pre>
 */
final class TopologyVars {

    private TopologyVars() {
    }

    static SynapseTopology read(Host host) {
        GuideLayout layout = GuideLayout.standard()
                .initialSyncWorkers(count(host, "initial_sync_workers", 2))
                .normalSyncWorkers(count(host, "normal_sync_workers", 3));
        if (host.boolVar("single_stream_writer", false)) {
            layout = layout.allStreamsOn("streamwriter");
        }
        String serverName = host.var("server_name");
        return SynapseTopology.forServer(serverName)
                .publicHostname(host.var("public_hostname", serverName))
                .packagedBy(packageSource(host.var("package_source", "matrix_org")))
                .workers(layout)
                .database(PostgresDatabase.named(host.var("database_name", "synapse")).ownedBy(host.var("database_user",
                        host.var("database_name", "synapse"))))
                .build();
    }

    private static int count(Host host, String variable, int fallback) {
        int count = host.intVar(variable, fallback);
        if (count < 0) {
            throw new IllegalArgumentException(variable + " is " + count + " on host " + host.name()
                    + ", but a worker count cannot be below zero: set it to 0 for none, or remove it for the default " + fallback);
        }
        return count;
    }

    private static PackageSource packageSource(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "matrix_org" -> PackageSource.MATRIX_ORG;
            case "debian" -> PackageSource.DEBIAN;
            default -> throw new IllegalArgumentException("package_source is '" + value + "': use matrix_org or debian");
        };
    }
}
