package dev.provision.playbooks.synapse;

import dev.provision.tasks.yaml.Octal;
import dev.provision.tasks.yaml.YamlDocument;
import dev.provision.tasks.yaml.YamlStyle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Synapse's YAML for one machine: the shared files in {@code conf.d/} (read by main and every worker;
 * each top-level key lives in exactly one file because Synapse merges files shallowly), one file per
 * worker on the machine and one log configuration per worker. Main keeps the package's {@code log.yaml}.
 * The shared files differ between machines only in how a peer is reached (socket or address).
 */
final class SynapseConfigFiles {

    static final String CONF_D = "/etc/matrix-synapse/conf.d/";
    static final String REDIS_YAML = "redis.yaml";
    static final String DATABASE_YAML = "database.yaml";
    static final String OWNER = "root";
    static final String GROUP = "matrix-synapse";
    static final int MODE = 0640;
    /** Where both packages' homeserver.yaml keeps it; every machine names it, since a worker's default is relative to its own file. */
    static final String SIGNING_KEY = "/etc/matrix-synapse/homeserver.signing.key";
    static final String REDIS_PASSWORD = "redis_password";
    static final String REPLICATION_SECRET = "worker_replication_secret";

    /** nginx (www-data, in group matrix-synapse) connects to inbound sockets. */
    private static final Octal INBOUND_MODE = Octal.of(0660);
    /** Only Synapse's own processes (user matrix-synapse) connect to replication sockets. */
    private static final Octal REPLICATION_MODE = Octal.of(0600);

    private final SynapseTopology topology;
    private final String machine;
    private final Transports transports;

    SynapseConfigFiles(SynapseTopology topology, String machine) {
        this.topology = topology;
        this.machine = machine;
        this.transports = new Transports(topology);
    }

    /** Nothing on a machine without Synapse processes. */
    List<RenderedFile> files() {
        List<RenderedFile> files = new ArrayList<>();
        if (!topology.synapseMachines().contains(machine)) {
            return files;
        }
        ServiceAction allProcesses = new ServiceAction.Restart(SynapseDeployment.TARGET);
        topology.database().ifPresent(db -> files.add(shared(DATABASE_YAML, database(db), allProcesses)));
        if (machine.equals(topology.machine())) {
            files.add(shared("listeners.yaml", Map.of("listeners", mainListeners()), new ServiceAction.Restart(SynapseDeployment.MAIN_SERVICE)));
        }
        topology.redisSocket().ifPresent(socket -> files.add(shared(REDIS_YAML, redisClient(true), allProcesses)));
        files.add(shared("secrets.yaml", secrets(), allProcesses));
        if (!topology.workers().isEmpty()) {
            files.add(shared("workers.yaml", workerCoordination(), allProcesses));
        }
        List<SynapseWorker> local = topology.workersOn(machine);
        for (SynapseWorker worker : local) {
            files.add(new RenderedFile(topology.workerConfigPath(worker.name()), render(workerConfig(worker)), OWNER, GROUP, MODE,
                    List.of(new ServiceAction.Restart(SynapseDeployment.workerService(worker.name())))));
        }
        for (SynapseWorker worker : local) {
            files.add(new RenderedFile(topology.workerLogConfigPath(worker.name()), render(logConfig(worker.name())), OWNER, GROUP, MODE,
                    List.of(new ServiceAction.Reload(SynapseDeployment.workerService(worker.name())))));
        }
        return files;
    }

    /**
     * Redis's socket on its own machine, its private address elsewhere; with a password once any
     * machine connects over TCP (Redis then asks every client, on the socket too). {@code enabled:
     * false} keeps the rest but lets Synapse start without its Redis client.
     */
    Map<String, Object> redisClient(boolean enabled) {
        Map<String, Object> redis = map("enabled", enabled);
        if (machine.equals(topology.redisMachine())) {
            redis.put("path", topology.redisSocket().orElseThrow());
        } else {
            redis.put("host", transports.address(topology.redisMachine()));
            redis.put("port", Transports.REDIS_PORT);
        }
        if (transports.redisOverTcp()) {
            redis.put("password_path", SynapseDeployment.secretPath(topology, REDIS_PASSWORD));
        }
        return Map.of("redis", redis);
    }

    /** Laid out like the samples in Synapse's documentation. */
    static String render(Map<String, ?> document) {
        return YamlDocument.of(document, YamlStyle.HAND_WRITTEN).render();
    }

    private static RenderedFile shared(String name, Map<String, ?> document, ServiceAction onChange) {
        return new RenderedFile(CONF_D + name, render(document), OWNER, GROUP, MODE, List.of(onChange));
    }

    /**
     * On another machine than PostgreSQL's: its private address, TLS required (libpq's default
     * {@code prefer} falls back to plain text silently) and keepalives as docs/postgres.md advises.
     */
    private Map<String, Object> database(PostgresDatabase db) {
        PostgresDatabase here = SynapseDeployment.databaseAsSeenFrom(topology, machine);
        Map<String, Object> args = map(
                "user", here.user(),
                "dbname", here.name(),
                "host", here.host(),
                "port", here.port(),
                "passfile", here.passfile(),
                "cp_min", here.poolMin(),
                "cp_max", here.poolMax());
        if (!machine.equals(topology.databaseMachine())) {
            args.put("sslmode", "require");
            args.put("keepalives_idle", 10);
            args.put("keepalives_interval", 10);
            args.put("keepalives_count", 3);
        }
        return map("database", map("name", "psycopg2", "args", args));
    }

    private List<Map<String, Object>> mainListeners() {
        List<Map<String, Object>> listeners = new ArrayList<>();
        // Not the guide's "consent": that resource stops Synapse at start-up unless user_consent is configured.
        listeners.add(inbound(SynapseTopology.MAIN, List.of("client", "federation")));
        if (!topology.workers().isEmpty()) {
            listeners.addAll(replication(SynapseTopology.MAIN));
        }
        return listeners;
    }

    /** On a socket for nginx on this machine, else on the private address, trusting nginx's X-Forwarded-For as a socket would. */
    private Map<String, Object> inbound(String process, List<String> resources) {
        if (!transports.inboundOverTcp(process)) {
            return listener(topology.inboundSocket(process), INBOUND_MODE, resources);
        }
        Map<String, Object> tcp = tcpListener(transports.inboundPort(process), resources);
        tcp.put("x_forwarded", true);
        return tcp;
    }

    /** The socket for processes on this machine, and the private address for the others once Synapse spans machines. */
    private List<Map<String, Object>> replication(String process) {
        List<Map<String, Object>> listeners = new ArrayList<>();
        listeners.add(listener(topology.replicationSocket(process), REPLICATION_MODE, List.of("replication")));
        if (transports.replicationOverTcp()) {
            listeners.add(tcpListener(transports.replicationPort(process), List.of("replication")));
        }
        return listeners;
    }

    /** Bound to this machine's private address only: without bind_addresses Synapse listens on :: and 0.0.0.0. */
    private Map<String, Object> tcpListener(int port, List<String> resources) {
        return map("port", port, "bind_addresses", List.of(transports.address(machine)), "type", "http",
                "resources", List.of(map("names", resources)));
    }

    private static Map<String, Object> listener(String path, Octal mode, List<String> resources) {
        return map("path", path, "mode", mode, "type", "http", "resources", List.of(map("names", resources)));
    }

    private Map<String, Object> secrets() {
        Map<String, Object> secrets = map(
                "registration_shared_secret_path", SynapseDeployment.secretPath(topology, "registration_shared_secret"),
                "macaroon_secret_key_path", SynapseDeployment.secretPath(topology, "macaroon_secret_key"),
                "form_secret_path", SynapseDeployment.secretPath(topology, "form_secret"));
        if (topology.spansMachines()) {
            secrets.put("worker_replication_secret_path", SynapseDeployment.secretPath(topology, REPLICATION_SECRET));
            secrets.put("signing_key_path", SIGNING_KEY);
        }
        return secrets;
    }

    private Map<String, Object> workerCoordination() {
        Map<String, Object> instances = new LinkedHashMap<>();
        instances.put(SynapseTopology.MAIN, transports.instanceMapEntry(SynapseTopology.MAIN, machine));
        topology.workers().stream().filter(SynapseWorker::hasReplicationListener)
                .forEach(worker -> instances.put(worker.name(), transports.instanceMapEntry(worker.name(), machine)));

        Map<String, Object> writers = new LinkedHashMap<>();
        for (Stream stream : Stream.values()) {
            putIfAny(writers, stream.key(), topology.workerNamesDoing(stream));
        }
        putIfAny(writers, "quarantined_media_changes", topology.workerNamesDoing(Duty.MEDIA));

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("instance_map", instances);
        if (!writers.isEmpty()) {
            config.put("stream_writers", writers);
        }
        putIfAny(config, "federation_sender_instances", topology.workerNamesDoing(Duty.FEDERATION_SENDER));
        putIfAny(config, "pusher_instances", topology.workerNamesDoing(Duty.PUSHER));
        topology.workerNamesDoing(Duty.USER_DIRECTORY).stream().findFirst()
                .ifPresent(name -> config.put("update_user_directory_from_worker", name));
        topology.workerNamesDoing(Duty.BACKGROUND_TASKS).stream().findFirst()
                .ifPresent(name -> config.put("run_background_tasks_on", name));
        if (!topology.workersDoing(Duty.MEDIA).isEmpty()) {
            config.put("enable_media_repo", false);
            topology.mediaBackgroundJobsOn().ifPresent(name -> config.put("media_instance_running_background_jobs", name));
        }
        return config;
    }

    private Map<String, Object> workerConfig(SynapseWorker worker) {
        List<Map<String, Object>> listeners = new ArrayList<>();
        if (worker.hasInboundListener()) {
            listeners.add(inbound(worker.name(), worker.inboundResources()));
        }
        if (worker.hasReplicationListener()) {
            listeners.addAll(replication(worker.name()));
        }
        Map<String, Object> config = map(
                "worker_app", worker.workerApp(),
                "worker_name", worker.name(),
                "worker_log_config", topology.workerLogConfigPath(worker.name()));
        if (!listeners.isEmpty()) {
            config.put("worker_listeners", listeners);
        }
        return config;
    }

    /**
     * The guide's log configuration, except that only root has a handler: the guide also gives the
     * handler to each named logger, and since loggers propagate, every line was written two or three times.
     */
    private Map<String, Object> logConfig(String worker) {
        Map<String, Object> loggers = new LinkedHashMap<>();
        for (String quiet : List.of("synapse.metrics", "synapse.replication.tcp", "synapse.util.caches.lrucache", "twisted")) {
            loggers.put(quiet, map("level", "WARN"));
        }
        loggers.put("synapse", map("level", "INFO"));
        return map(
                "version", 1,
                "formatters", map("precise", map(
                        "format", "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s")),
                "handlers", map(
                        "file", map(
                                "class", "logging.handlers.TimedRotatingFileHandler",
                                "formatter", "precise",
                                "filename", topology.workerLogPath(worker),
                                "when", "midnight",
                                "backupCount", 3,
                                "encoding", "utf8"),
                        "buffer", map(
                                "class", "synapse.logging.handlers.PeriodicallyFlushingMemoryHandler",
                                "target", "file",
                                "capacity", 10,
                                "flushLevel", 30,
                                "period", 5)),
                "loggers", loggers,
                "root", map("level", "INFO", "handlers", List.of("buffer")),
                "disable_existing_loggers", false);
    }

    private static void putIfAny(Map<String, Object> map, String key, List<String> values) {
        if (!values.isEmpty()) {
            map.put(key, values);
        }
    }

    /** An insertion-ordered map from alternating keys and values. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
