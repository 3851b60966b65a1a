package dev.provision.playbooks.synapse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Collection;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The checks behind {@link SynapseTopology#validate()}. */
final class TopologyRules {

    /** sun_path is 108 bytes on Linux and must hold the terminating NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    /**
     * A subset of systemd's unit name characters ({@code [A-Za-z0-9:_.\-]}, {@code \} escapes) that is
     * also a plain file name and a plain YAML scalar: no ':' (it ends the socket path in nginx's
     * {@code unix:} URLs), and a letter or digit first, which rules out "." and "..".
     */
    private static final Pattern WORKER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    /** "matrix-synapse-worker@" + name + ".service" must stay within systemd's 255 characters. */
    static final int MAX_WORKER_NAME_LENGTH = 255 - "matrix-synapse-worker@".length() - ".service".length();

    private static final Set<String> RESERVED_NAMES = Set.of(SynapseTopology.MAIN, "master");

    private final SynapseTopology topology;
    private final List<TopologyProblem> problems = new ArrayList<>();

    private TopologyRules(SynapseTopology topology) {
        this.topology = topology;
    }

    static List<TopologyProblem> check(SynapseTopology topology) {
        TopologyRules rules = new TopologyRules(topology);
        rules.checkNames();
        rules.checkSocketPaths();
        rules.checkStreamWriters();
        rules.checkSingleInstanceDuties();
        rules.checkSharedServices();
        rules.checkMachines();
        rules.checkMediaBackgroundJobs();
        return List.copyOf(rules.problems);
    }

    /**
     * Machines of the topology that are no host of the inventory: the playbook cannot configure them,
     * and what runs there would be missing.
     */
    static List<TopologyProblem> checkInventory(SynapseTopology topology, Collection<String> hosts) {
        List<TopologyProblem> problems = new ArrayList<>();
        for (String machine : topology.machines()) {
            if (!hosts.contains(machine)) {
                problems.add(new TopologyProblem("Machine '" + machine + "' of the Synapse topology is no host of the inventory ("
                        + String.join(", ", hosts) + ").", "Add host '" + machine + "' to the inventory, or place its processes on one of its hosts."));
            }
        }
        return problems;
    }

    private void problem(String problem, String fix) {
        problems.add(new TopologyProblem(problem, fix));
    }

    private void checkNames() {
        Map<String, Long> counts = topology.workers().stream()
                .collect(Collectors.groupingBy(SynapseWorker::name, LinkedHashMap::new, Collectors.counting()));
        counts.forEach((name, count) -> {
            if (count > 1) {
                problem("Worker name '" + name + "' is used by " + count + " workers.",
                        "Give each worker its own name: it is the worker's instance_map key, systemd instance and file name.");
            }
        });
        for (String name : counts.keySet()) {
            if (RESERVED_NAMES.contains(name)) {
                problem("Worker name '" + name + "' is reserved: 'main' is the main process in instance_map, and Synapse calls it 'master' inside.",
                        "Rename the worker.");
            } else if (!WORKER_NAME.matcher(name).matches() || name.length() > MAX_WORKER_NAME_LENGTH) {
                problem("Worker name '" + name + "' is not a valid systemd instance name and file name.",
                        "Use letters, digits, '_', '.' and '-', starting with a letter or digit, at most "
                                + MAX_WORKER_NAME_LENGTH + " characters.");
            }
        }
        for (SynapseWorker worker : topology.workers()) {
            if (worker.hasNoRole()) {
                problem("Worker '" + worker.name() + "' has no duty and writes no stream: it would run and do nothing.",
                        "Give it a duty or a stream, or remove it.");
            }
        }
    }

    private void checkSocketPaths() {
        if (!topology.socketDirectory().matches("/run/[^/].*")) {
            problem("Socket directory '" + topology.socketDirectory() + "' is not under /run: the Synapse units create it as their RuntimeDirectory=, which is relative to /run.",
                    "Use a directory under /run, e.g. /run/matrix-synapse.");
        }
        List<String> sockets = new ArrayList<>();
        topology.redisSocket().ifPresent(sockets::add);
        sockets.add(topology.mainInboundSocket());
        if (!topology.workers().isEmpty()) {
            sockets.add(topology.mainReplicationSocket());
        }
        for (SynapseWorker worker : topology.workers()) {
            if (worker.hasInboundListener()) {
                sockets.add(topology.inboundSocket(worker.name()));
            }
            if (worker.hasReplicationListener()) {
                sockets.add(topology.replicationSocket(worker.name()));
            }
        }
        for (String socket : sockets) {
            int bytes = socket.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_SOCKET_PATH_BYTES) {
                problem("Socket path '" + socket + "' is " + bytes + " bytes, but a UNIX socket path may have at most "
                                + MAX_SOCKET_PATH_BYTES + " (sun_path holds 108 bytes including the terminating NUL).",
                        "Shorten the socket directory or the worker name.");
            }
        }
    }

    private void checkStreamWriters() {
        forEachRoleOnTooManyWorkers(Stream.values(), (stream, writers) ->
                problem("Stream '" + stream.key() + "' has " + writers.size() + " writers (" + String.join(", ", writers)
                                + "), but Synapse allows exactly one writer for it.",
                        "Let one worker write " + stream.key() + "."));
        for (SynapseWorker worker : topology.workers()) {
            if (worker.writesAStream() && !worker.hasReplicationListener()) {
                problem("Worker '" + worker.name() + "' writes " + writtenStreams(worker)
                                + " but has no replication listener, so it has no instance_map entry and other processes cannot reach it.",
                        "Remove withoutReplicationListener() from '" + worker.name() + "'.");
            }
        }
    }

    private static String writtenStreams(SynapseWorker worker) {
        List<String> streams = new ArrayList<>(worker.streams().stream().map(Stream::key).toList());
        if (worker.does(Duty.MEDIA)) {
            streams.add("quarantined_media_changes");
        }
        return String.join(", ", streams);
    }

    private void checkSingleInstanceDuties() {
        forEachRoleOnTooManyWorkers(Duty.values(), (duty, workers) ->
                problem("Duty '" + duty.key() + "' is given to " + workers.size() + " workers (" + String.join(", ", workers)
                                + "), but Synapse runs it on a single instance.",
                        "Give " + duty.key() + " to one worker."));
    }

    /** Hands {@code report} each of {@code roles} that Synapse allows on one worker only but more than one has, with their names. */
    private void forEachRoleOnTooManyWorkers(Role[] roles, BiConsumer<Role, List<String>> report) {
        for (Role role : roles) {
            List<String> workers = topology.workerNamesDoing(role);
            if (role.onlyOneWorker() && workers.size() > 1) {
                report.accept(role, workers);
            }
        }
    }

    private void checkSharedServices() {
        int workers = topology.workers().size();
        if (workers > 0 && topology.database().isEmpty()) {
            problem("The topology has " + workers + " workers but no PostgreSQL database: all processes share one database, and Synapse supports workers only on PostgreSQL.",
                    "Set database(PostgresDatabase.named(...)), or remove the workers.");
        }
        if (workers > 0 && topology.redisSocket().isEmpty()) {
            problem("The topology has " + workers + " workers but no Redis: Synapse's processes replicate through Redis, which must be enabled when using workers.",
                    "Set redisSocket(...), or remove the workers.");
        }
        topology.database().filter(PostgresDatabase::overUnixSocket)
                .filter(db -> !db.user().equals("matrix-synapse"))
                .ifPresent(db -> problem("The database host " + db.host() + " is PostgreSQL's UNIX socket, where Debian's pg_hba.conf uses peer authentication: role '"
                                + db.user() + "' would be refused to the OS user matrix-synapse.",
                        "Connect over TCP with on(\"127.0.0.1\", " + db.port() + ") and the passfile, or name the role matrix-synapse."));
    }

    private void checkMachines() {
        List<String> mediaMachines = topology.workersDoing(Duty.MEDIA).stream().map(topology::machineOf).distinct().toList();
        if (mediaMachines.size() > 1) {
            String placement = topology.workersDoing(Duty.MEDIA).stream()
                    .map(w -> w.name() + " on " + topology.machineOf(w)).collect(Collectors.joining(", "));
            problem("Media workers are spread over several machines (" + placement
                            + "), but Synapse's media workers share one media store and must all run on the same machine.",
                    "Put all media workers on one machine.");
        }
        if (!topology.spansMachines()) {
            return;
        }
        for (String machine : topology.machines()) {
            if (topology.address(machine).isEmpty()) {
                problem("Machine '" + machine + "' (" + String.join(", ", whatRunsOn(machine)) + ") has no address, but the topology spans "
                                + topology.machines().size() + " machines: " + String.join("; ", whoConnects(machine)) + ".",
                        "Give it its private address: machineAddress(\"" + machine + "\", \"10.0.0.x\").");
            }
        }
        checkAddresses();
    }

    private List<String> whatRunsOn(String machine) {
        List<String> parts = new ArrayList<>();
        if (machine.equals(topology.machine())) {
            parts.add("main");
        }
        topology.workersOn(machine).forEach(worker -> parts.add(worker.name()));
        if (topology.redisSocket().isPresent() && machine.equals(topology.redisMachine())) {
            parts.add("Redis");
        }
        if (topology.database().isPresent() && machine.equals(topology.databaseMachine())) {
            parts.add("PostgreSQL");
        }
        if (machine.equals(topology.nginxMachine())) {
            parts.add("nginx");
        }
        return parts;
    }

    /** Why other machines need this one's address: the listeners they reach, or the firewalls that admit it. */
    private List<String> whoConnects(String machine) {
        List<String> reasons = new ArrayList<>();
        if (!machine.equals(topology.nginxMachine())) {
            List<String> http = topology.workersOn(machine).stream().filter(SynapseWorker::hasInboundListener).map(SynapseWorker::name)
                    .collect(Collectors.toCollection(ArrayList::new));
            if (machine.equals(topology.machine())) {
                http.add(0, SynapseTopology.MAIN);
            }
            if (!http.isEmpty()) {
                reasons.add("nginx on '" + topology.nginxMachine() + "' cannot reach the HTTP listeners of " + String.join(", ", http));
            }
        }
        if (topology.synapseMachines().contains(machine)) {
            reasons.add("the other machines' firewalls admit it by address, and its listeners bind it");
        } else {
            reasons.add("the Synapse machines connect to its services there");
        }
        return reasons;
    }

    /** Literal, private (or allowed), never the wildcard, one machine each, and only for machines of the topology. */
    private void checkAddresses() {
        Map<String, String> owners = new LinkedHashMap<>();
        topology.addresses().forEach((machine, text) -> {
            if (!topology.machines().contains(machine)) {
                problem("An address is given for machine '" + machine + "', which runs nothing of this topology (machines: "
                                + String.join(", ", topology.machines()) + ").",
                        "Correct the machine's name, or drop its address.");
                return;
            }
            Optional<PrivateAddress> address = PrivateAddress.parse(text);
            if (address.isEmpty()) {
                problem("Machine '" + machine + "' has address '" + text + "', which is no IP address: listeners bind it, firewalls match it, and nginx "
                                + "resolves names only when it loads.",
                        "Give the machine's private IPv4 or IPv6 address.");
            } else if (address.get().isUnspecified()) {
                problem("Machine '" + machine + "' has address '" + text + "', which would bind every interface, the public ones included.",
                        "Give the machine's private address.");
            } else if (!address.get().isPrivate() && !topology.allowedPublicAddresses().contains(text)) {
                problem("Machine '" + machine + "' has address '" + text + "', which is not private (RFC 1918 or IPv6 unique local): replication "
                                + "and Redis travel unencrypted, and replication is unauthenticated without its secret.",
                        "Use a private network between the machines, or allowAddress(\"" + text + "\") if this network is private nonetheless.");
            }
            String other = owners.putIfAbsent(text, machine);
            if (other != null) {
                problem("Machines '" + other + "' and '" + machine + "' have the same address " + text + ".",
                        "Give each machine its own address.");
            }
        });
    }

    private void checkMediaBackgroundJobs() {
        List<String> mediaWorkers = topology.workerNamesDoing(Duty.MEDIA);
        topology.mediaBackgroundJobsOn()
                .filter(name -> !mediaWorkers.contains(name))
                .ifPresent(name -> problem("media_instance_running_background_jobs names '" + name + "', which is not a media worker.",
                        mediaWorkers.isEmpty()
                                ? "Add a media worker named '" + name + "', or drop mediaBackgroundJobsOn."
                                : "Name one of the media workers: " + String.join(", ", mediaWorkers) + "."));
    }
}
