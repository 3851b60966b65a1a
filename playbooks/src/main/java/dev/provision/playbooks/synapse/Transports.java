package dev.provision.playbooks.synapse;

import java.util.List;
import java.util.Map;

/**
 * How processes reach each other, derived from where they run. Within a machine: UNIX sockets. A
 * process reached from another machine listens on its machine's private address too: main and
 * every {@code instance_map} member for replication once Synapse spans machines, a process that
 * serves HTTP when nginx runs elsewhere, Redis and PostgreSQL when a Synapse machine is not theirs.
 * Ports are fixed by position, so every machine derives the same ones.
 */
final class Transports {

    static final int MAIN_INBOUND_PORT = 8008;
    static final int MAIN_REPLICATION_PORT = 9093;
    static final int FIRST_WORKER_INBOUND_PORT = 8101;
    static final int FIRST_WORKER_REPLICATION_PORT = 9101;
    static final int REDIS_PORT = 6379;

    private final SynapseTopology topology;

    Transports(SynapseTopology topology) {
        this.topology = topology;
    }

    /** Synapse runs on several machines, so its processes call each other's replication listeners over TCP. */
    boolean replicationOverTcp() {
        return topology.synapseMachines().size() > 1;
    }

    /** nginx reaches this process's HTTP listener over TCP: it runs on another machine. */
    boolean inboundOverTcp(String process) {
        return !topology.machineOfProcess(process).equals(topology.nginxMachine());
    }

    /** Some Synapse machine is not Redis's. */
    boolean redisOverTcp() {
        return topology.redisSocket().isPresent() && topology.synapseMachines().stream().anyMatch(m -> !m.equals(topology.redisMachine()));
    }

    /** Some Synapse machine is not PostgreSQL's. */
    boolean databaseOverTcp() {
        return topology.database().isPresent() && topology.synapseMachines().stream().anyMatch(m -> !m.equals(topology.databaseMachine()));
    }

    int inboundPort(String process) {
        return process.equals(SynapseTopology.MAIN) ? MAIN_INBOUND_PORT : FIRST_WORKER_INBOUND_PORT + index(process);
    }

    int replicationPort(String process) {
        return process.equals(SynapseTopology.MAIN) ? MAIN_REPLICATION_PORT : FIRST_WORKER_REPLICATION_PORT + index(process);
    }

    private int index(String worker) {
        List<String> names = topology.workers().stream().map(SynapseWorker::name).toList();
        return names.indexOf(worker);
    }

    String address(String machine) {
        return topology.address(machine).orElseThrow(() -> new IllegalStateException("machine " + machine + " has no address"));
    }

    /** Where a process on {@code viewer} reaches {@code process} for replication: its socket on the same machine, else host and port. */
    Map<String, Object> instanceMapEntry(String process, String viewer) {
        String machine = topology.machineOfProcess(process);
        if (machine.equals(viewer)) {
            return SynapseConfigFiles.map("path", topology.replicationSocket(process));
        }
        return SynapseConfigFiles.map("host", address(machine), "port", replicationPort(process));
    }

    /** How nginx names a process in {@code server} lines and {@code $upstream_addr}. */
    String nginxBackend(String process) {
        if (!inboundOverTcp(process)) {
            return "unix:" + topology.inboundSocket(process);
        }
        String address = address(topology.machineOfProcess(process));
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + inboundPort(process);
    }
}
