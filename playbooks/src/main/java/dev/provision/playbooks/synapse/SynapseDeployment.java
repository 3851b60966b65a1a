package dev.provision.playbooks.synapse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything derived from a valid {@link SynapseTopology}, ready for tasks to apply: files with
 * owner, mode and the service action a change needs, directories, Redis settings, the secret files
 * the host must generate, group memberships, and the routes nginx must take.
 *
 * <pre>{@code
 * SynapseDeployment deployment = SynapseDeployment.of(topology);   // throws if the topology is invalid
 * for (RenderedFile file : deployment.files()) { ... }
 * }</pre>
 */
public final class SynapseDeployment {

    public static final String TARGET = "matrix-synapse.target";
    public static final String MAIN_SERVICE = "matrix-synapse.service";
    public static final String REDIS = "redis-server.service";
    public static final String NGINX = "nginx.service";

    private final SynapseTopology topology;
    private final NginxRouting routing;

    private SynapseDeployment(SynapseTopology topology) {
        this.topology = topology;
        this.routing = NginxRouting.of(topology);
    }

    public static SynapseDeployment of(SynapseTopology topology) {
        return new SynapseDeployment(topology.requireValid());
    }

    public static String workerService(String worker) {
        return "matrix-synapse-worker@" + worker + ".service";
    }

    public SynapseTopology topology() {
        return topology;
    }

    /** Synapse's YAML, the systemd units and nginx's configuration, in a stable order. */
    public List<RenderedFile> files() {
        List<RenderedFile> files = new ArrayList<>(new SynapseConfigFiles(topology).files());
        files.addAll(new SystemdUnits(topology).files());
        files.addAll(new NginxConfig(topology, routing).files());
        return List.copyOf(files);
    }

    /** Directories to create before the files; the package already creates conf.d and the log directory. */
    public List<RenderedDirectory> directories() {
        String group = SynapseConfigFiles.GROUP;
        return List.of(
                new RenderedDirectory("/etc/matrix-synapse/workers", "root", group, 0750),
                new RenderedDirectory("/etc/matrix-synapse/logconf.d", "root", group, 0750),
                new RenderedDirectory(topology.secretsDirectory(), "root", group, 0750),
                new RenderedDirectory(SystemdUnits.MAIN_DROP_IN_DIRECTORY, "root", "root", 0755),
                new RenderedDirectory("/etc/nginx/snippets", "root", "root", 0755));
    }

    /**
     * Settings for {@code /etc/redis/redis.conf}: no TCP listener, a UNIX socket its group may use.
     * Empty without Redis. A change needs {@code Restart(redis-server.service)}.
     */
    public Map<String, String> redisSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        topology.redisSocket().ifPresent(socket -> {
            settings.put("port", "0");
            settings.put("unixsocket", socket);
            settings.put("unixsocketperm", "770");
        });
        return settings;
    }

    /**
     * The secrets Synapse reads from files ({@code *_path} keys, Synapse 1.67, 1.121 and 1.126) and
     * the database passfile. libpq ignores a passfile that its group or others may read, so that one
     * belongs to matrix-synapse with mode 0600.
     */
    public List<SecretFile> secretFiles() {
        List<ServiceAction> restartAll = List.of(new ServiceAction.Restart(TARGET));
        List<SecretFile> secrets = new ArrayList<>();
        for (String name : List.of("registration_shared_secret", "macaroon_secret_key", "form_secret")) {
            secrets.add(new SecretFile(secretPath(topology, name), "root", SynapseConfigFiles.GROUP, 0640, "", restartAll));
        }
        topology.database().ifPresent(db -> secrets.add(new SecretFile(db.passfile(), "matrix-synapse", SynapseConfigFiles.GROUP, 0600,
                db.passfileLinePrefix(), restartAll)));
        return List.copyOf(secrets);
    }

    static String secretPath(SynapseTopology topology, String name) {
        return topology.secretsDirectory() + "/" + name;
    }

    public List<GroupMembership> groupMemberships() {
        List<GroupMembership> memberships = new ArrayList<>();
        topology.redisSocket().ifPresent(socket -> memberships.add(new GroupMembership("matrix-synapse", "redis",
                "Redis's socket " + socket + " belongs to redis:redis with mode 0770", new ServiceAction.Restart(TARGET))));
        memberships.add(new GroupMembership("www-data", SynapseConfigFiles.GROUP,
                "nginx connects to the inbound sockets (group matrix-synapse, 0660) in " + topology.socketDirectory() + " (0770)",
                new ServiceAction.Reload(NGINX)));
        return List.copyOf(memberships);
    }

    /** The requests nginx must send to each process, to check routing end to end. */
    public List<Route> routes() {
        return routing.routes();
    }

    /**
     * Every action files, secrets and memberships may ask for, in the order handlers must run:
     * daemon-reload, Redis, all of Synapse, main, single workers, nginx.
     */
    public List<ServiceAction> serviceActions() {
        Set<ServiceAction> actions = new LinkedHashSet<>();
        files().forEach(file -> actions.addAll(file.onChange()));
        secretFiles().forEach(secret -> actions.addAll(secret.onChange()));
        groupMemberships().forEach(membership -> actions.add(membership.takesEffectAfter()));
        if (!redisSettings().isEmpty()) {
            actions.add(new ServiceAction.Restart(REDIS));
        }
        return actions.stream().sorted(Comparator.comparingInt(SynapseDeployment::rank)).toList();
    }

    private static int rank(ServiceAction action) {
        if (action instanceof ServiceAction.DaemonReload) {
            return 0;
        }
        String unit = action instanceof ServiceAction.Restart restart ? restart.unit() : ((ServiceAction.Reload) action).unit();
        if (unit.equals(REDIS)) {
            return 1;
        }
        if (unit.equals(TARGET)) {
            return 2;
        }
        if (unit.equals(MAIN_SERVICE)) {
            return 3;
        }
        return unit.equals(NGINX) ? 5 : 4;
    }

    /** Connections PostgreSQL must accept when every process fills its pool: (1 + workers) x cp_max. */
    public int databaseConnections() {
        return topology.database().map(db -> (1 + topology.workers().size()) * db.poolMax()).orElse(0);
    }
}
