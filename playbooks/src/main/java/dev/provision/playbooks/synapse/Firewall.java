package dev.provision.playbooks.synapse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An nftables table per machine for the ports Synapse opens between machines: each is admitted
 * from the machines that need it (replication from the other Synapse machines, a process's HTTP
 * listener from nginx's machine, Redis and PostgreSQL from the Synapse machines) and reset for
 * everybody else; loopback and every other port are left alone. The replication API is
 * unauthenticated without its secret and unencrypted, and an HTTP listener trusts X-Forwarded-For,
 * so nothing but these machines may reach them. A oneshot unit loads the table at boot, before
 * the network is up; the file replaces the whole table in one transaction.
 */
final class Firewall {

    static final String DIRECTORY = "/etc/nftables.d";
    static final String FILE = DIRECTORY + "/matrix-synapse.nft";
    static final String SERVICE = "matrix-synapse-firewall.service";
    private static final String TABLE = "inet matrix_synapse";

    /** A port and the machines that may connect to it. */
    record Opening(int port, String purpose, Set<String> from) {
    }

    private final SynapseTopology topology;
    private final String machine;
    private final Transports transports;

    Firewall(SynapseTopology topology, String machine) {
        this.topology = topology;
        this.machine = machine;
        this.transports = new Transports(topology);
    }

    /** Empty on a machine that opens no port to another. */
    List<RenderedFile> files() {
        List<Opening> openings = openings();
        if (openings.isEmpty()) {
            return List.of();
        }
        ServiceAction load = new ServiceAction.Restart(SERVICE);
        return List.of(
                new RenderedFile(FILE, table(openings), "root", "root", 0644, List.of(load)),
                new RenderedFile("/etc/systemd/system/" + SERVICE, unit(), "root", "root", 0644,
                        List.of(new ServiceAction.DaemonReload(), load)));
    }

    List<Opening> openings() {
        List<Opening> openings = new ArrayList<>();
        List<String> otherSynapseMachines = topology.synapseMachines().stream().filter(m -> !m.equals(machine)).toList();
        if (machine.equals(topology.machine())) {
            openFor(openings, SynapseTopology.MAIN, !topology.workers().isEmpty(), true, otherSynapseMachines);
        }
        for (SynapseWorker worker : topology.workersOn(machine)) {
            openFor(openings, worker.name(), worker.hasReplicationListener(), worker.hasInboundListener(), otherSynapseMachines);
        }
        if (topology.redisSocket().isPresent() && machine.equals(topology.redisMachine()) && transports.redisOverTcp()) {
            openings.add(new Opening(Transports.REDIS_PORT, "Redis", new LinkedHashSet<>(otherSynapseMachines)));
        }
        if (topology.database().isPresent() && machine.equals(topology.databaseMachine()) && transports.databaseOverTcp()) {
            openings.add(new Opening(topology.database().get().port(), "PostgreSQL", new LinkedHashSet<>(otherSynapseMachines)));
        }
        return openings;
    }

    private void openFor(List<Opening> openings, String process, boolean replicates, boolean servesHttp, List<String> otherSynapseMachines) {
        if (replicates && transports.replicationOverTcp()) {
            openings.add(new Opening(transports.replicationPort(process), "replication of " + process, new LinkedHashSet<>(otherSynapseMachines)));
        }
        if (servesHttp && transports.inboundOverTcp(process)) {
            openings.add(new Opening(transports.inboundPort(process), "HTTP of " + process + " for nginx", Set.of(topology.nginxMachine())));
        }
    }

    private String table(List<Opening> openings) {
        StringBuilder out = new StringBuilder("# Synapse's ports on " + machine + ": only the machines that need them may connect.\n")
                .append("table ").append(TABLE).append("\n")
                .append("delete table ").append(TABLE).append("\n\n")
                .append("table ").append(TABLE).append(" {\n")
                .append("    chain input {\n")
                .append("        type filter hook input priority filter; policy accept;\n")
                .append("        iif \"lo\" accept\n");
        for (Opening opening : openings) {
            Map<String, List<String>> byFamily = new LinkedHashMap<>();
            for (String peer : opening.from()) {
                String address = transports.address(peer);
                byFamily.computeIfAbsent(address.contains(":") ? "ip6" : "ip", f -> new ArrayList<>()).add(address);
            }
            out.append("        # ").append(opening.purpose()).append(" from ").append(String.join(", ", opening.from())).append('\n');
            byFamily.forEach((family, addresses) -> out.append("        tcp dport ").append(opening.port()).append(' ').append(family)
                    .append(" saddr { ").append(String.join(", ", addresses)).append(" } accept\n"));
        }
        out.append("        tcp dport { ")
                .append(openings.stream().map(o -> String.valueOf(o.port())).distinct().collect(Collectors.joining(", ")))
                .append(" } reject with tcp reset\n")
                .append("    }\n")
                .append("}\n");
        return out.toString();
    }

    /** As Debian's nftables.service: before the network, so no port is open unfiltered at boot. */
    private static String unit() {
        return """
                [Unit]
                Description=Firewall for Synapse's ports between machines
                Wants=network-pre.target
                Before=network-pre.target shutdown.target
                Conflicts=shutdown.target
                DefaultDependencies=no

                [Service]
                Type=oneshot
                RemainAfterExit=yes
                ExecStart=/usr/sbin/nft -f %s
                ExecReload=/usr/sbin/nft -f %s

                [Install]
                WantedBy=sysinit.target
                """.formatted(FILE, FILE);
    }
}
