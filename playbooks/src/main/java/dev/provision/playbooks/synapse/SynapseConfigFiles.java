package dev.provision.playbooks.synapse;

import dev.provision.tasks.yaml.Octal;
import dev.provision.tasks.yaml.YamlDocument;
import dev.provision.tasks.yaml.YamlStyle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Synapse's YAML: the shared files in {@code conf.d/} (read by main and every worker; each top-level
 * key lives in exactly one file because Synapse merges files shallowly), one file per worker and one
 * log configuration per worker. Main keeps the package's {@code log.yaml}.
 */
final class SynapseConfigFiles {

    static final String CONF_D = "/etc/matrix-synapse/conf.d/";
    static final String REDIS_YAML = "redis.yaml";
    static final String DATABASE_YAML = "database.yaml";
    static final String OWNER = "root";
    static final String GROUP = "matrix-synapse";
    static final int MODE = 0640;

    /** nginx (www-data, in group matrix-synapse) connects to inbound sockets. */
    private static final Octal INBOUND_MODE = Octal.of(0660);
    /** Only Synapse's own processes (user matrix-synapse) connect to replication sockets. */
    private static final Octal REPLICATION_MODE = Octal.of(0600);

    private final SynapseTopology topology;

    SynapseConfigFiles(SynapseTopology topology) {
        this.topology = topology;
    }

    List<RenderedFile> files() {
        List<RenderedFile> files = new ArrayList<>();
        ServiceAction allProcesses = new ServiceAction.Restart(SynapseDeployment.TARGET);
        topology.database().ifPresent(db -> files.add(shared(DATABASE_YAML, database(db), allProcesses)));
        files.add(shared("listeners.yaml", Map.of("listeners", mainListeners()), new ServiceAction.Restart(SynapseDeployment.MAIN_SERVICE)));
        topology.redisSocket().ifPresent(socket -> files.add(shared(REDIS_YAML, redis(socket, true), allProcesses)));
        files.add(shared("secrets.yaml", secrets(), allProcesses));
        if (!topology.workers().isEmpty()) {
            files.add(shared("workers.yaml", workerCoordination(), allProcesses));
        }
        for (SynapseWorker worker : topology.workers()) {
            files.add(new RenderedFile(topology.workerConfigPath(worker.name()), render(workerConfig(worker)), OWNER, GROUP, MODE,
                    List.of(new ServiceAction.Restart(SynapseDeployment.workerService(worker.name())))));
        }
        for (SynapseWorker worker : topology.workers()) {
            files.add(new RenderedFile(topology.workerLogConfigPath(worker.name()), render(logConfig(worker.name())), OWNER, GROUP, MODE,
                    List.of(new ServiceAction.Reload(SynapseDeployment.workerService(worker.name())))));
        }
        return files;
    }

    /** {@code enabled: false} keeps the socket path but lets Synapse start without its Redis client. */
    static Map<String, Object> redis(String socket, boolean enabled) {
        return Map.of("redis", map("enabled", enabled, "path", socket));
    }

    /** Laid out like the samples in Synapse's documentation. */
    static String render(Map<String, ?> document) {
        return YamlDocument.of(document, YamlStyle.HAND_WRITTEN).render();
    }

    private static RenderedFile shared(String name, Map<String, ?> document, ServiceAction onChange) {
        return new RenderedFile(CONF_D + name, render(document), OWNER, GROUP, MODE, List.of(onChange));
    }

    private static Map<String, Object> database(PostgresDatabase db) {
        return map("database", map(
                "name", "psycopg2",
                "args", map(
                        "user", db.user(),
                        "dbname", db.name(),
                        "host", db.host(),
                        "port", db.port(),
                        "passfile", db.passfile(),
                        "cp_min", db.poolMin(),
                        "cp_max", db.poolMax())));
    }

    private List<Map<String, Object>> mainListeners() {
        List<Map<String, Object>> listeners = new ArrayList<>();
        // Not the guide's "consent": that resource stops Synapse at start-up unless user_consent is configured.
        listeners.add(listener(topology.mainInboundSocket(), INBOUND_MODE, List.of("client", "federation")));
        if (!topology.workers().isEmpty()) {
            listeners.add(listener(topology.mainReplicationSocket(), REPLICATION_MODE, List.of("replication")));
        }
        return listeners;
    }

    private static Map<String, Object> listener(String path, Octal mode, List<String> resources) {
        return map("path", path, "mode", mode, "type", "http", "resources", List.of(map("names", resources)));
    }

    private Map<String, Object> secrets() {
        return map(
                "registration_shared_secret_path", SynapseDeployment.secretPath(topology, "registration_shared_secret"),
                "macaroon_secret_key_path", SynapseDeployment.secretPath(topology, "macaroon_secret_key"),
                "form_secret_path", SynapseDeployment.secretPath(topology, "form_secret"));
    }

    private Map<String, Object> workerCoordination() {
        Map<String, Object> instances = new LinkedHashMap<>();
        instances.put(SynapseTopology.MAIN, map("path", topology.mainReplicationSocket()));
        topology.workers().stream().filter(SynapseWorker::hasReplicationListener)
                .forEach(worker -> instances.put(worker.name(), map("path", topology.replicationSocket(worker.name()))));

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
            listeners.add(listener(topology.inboundSocket(worker.name()), INBOUND_MODE, worker.inboundResources()));
        }
        if (worker.hasReplicationListener()) {
            listeners.add(listener(topology.replicationSocket(worker.name()), REPLICATION_MODE, List.of("replication")));
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
