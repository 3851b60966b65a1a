package dev.provision.playbooks.synapse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything derived from a valid {@link SynapseTopology} for one of its machines, ready for tasks to
 * apply: files with owner, mode and the service action a change needs, directories, Redis settings,
 * the secret files the machine must generate or receive, group memberships, its firewall, and the
 * routes nginx must take.
 *
 * <pre>{@code
 * SynapseDeployment deployment = SynapseDeployment.of(topology);          // main's machine; throws if the topology is invalid
 * SynapseDeployment workers = SynapseDeployment.of(topology, "c");        // another machine of it
 * for (RenderedFile file : deployment.files()) { ... }
 * }</pre>
 */
public final class SynapseDeployment {

    public static final String TARGET = "matrix-synapse.target";
    public static final String MAIN_SERVICE = "matrix-synapse.service";
    public static final String REDIS = "redis-server.service";
    public static final String NGINX = "nginx.service";
    public static final String FIREWALL = Firewall.SERVICE;
    static final String REDIS_PASSWORD_FILE = "/etc/redis/matrix-synapse.password";
    static final String REDIS_AUTH_CONF = "/etc/redis/matrix-synapse-auth.conf";
    /** PostgreSQL's machine generates the role's password here once Synapse machines connect from elsewhere. */
    static final String DATABASE_PASSWORD_FILE = "/etc/postgresql/matrix-synapse.password";

    private final SynapseTopology topology;
    private final String machine;
    private final NginxRouting routing;
    private final Transports transports;

    private SynapseDeployment(SynapseTopology topology, String machine) {
        this.topology = topology;
        this.machine = machine;
        this.routing = NginxRouting.of(topology);
        this.transports = new Transports(topology);
    }

    /** Main's machine: for a topology on one machine, everything. */
    public static SynapseDeployment of(SynapseTopology topology) {
        return new SynapseDeployment(topology.requireValid(), topology.machine());
    }

    public static SynapseDeployment of(SynapseTopology topology, String machine) {
        topology.requireValid();
        if (!topology.machines().contains(machine)) {
            throw new IllegalArgumentException("'" + machine + "' is not a machine of this Synapse topology (" + String.join(", ", topology.machines())
                    + "): place a process on it, or run this playbook on one of those hosts");
        }
        return new SynapseDeployment(topology, machine);
    }

    /**
     * The part of the topology for the inventory host {@code host}: everything when the topology
     * is on one machine (whatever its name), else the machine of that name.
     */
    public static SynapseDeployment forHost(SynapseTopology topology, String host) {
        return topology.spansMachines() ? of(topology, host) : of(topology);
    }

    public String machine() {
        return machine;
    }

    /** Main runs here; on other machines the package's matrix-synapse.service must stay stopped and disabled. */
    public boolean runsMain() {
        return machine.equals(topology.machine());
    }

    public List<SynapseWorker> workers() {
        return topology.workersOn(machine);
    }

    public static String workerService(String worker) {
        return "matrix-synapse-worker@" + worker + ".service";
    }

    public SynapseTopology topology() {
        return topology;
    }

    /** This machine's Synapse YAML, systemd units, nginx configuration and firewall, in a stable order. */
    public List<RenderedFile> files() {
        List<RenderedFile> files = new ArrayList<>(new SynapseConfigFiles(topology, machine).files());
        files.addAll(new SystemdUnits(topology, machine).files());
        if (runsNginx()) {
            files.addAll(new NginxConfig(topology, routing).files());
        }
        files.addAll(new Firewall(topology, machine).files());
        return List.copyOf(files);
    }

    /** {@code conf.d/redis.yaml} with Synapse's Redis client switched off, everything else as {@link #files()} has it. */
    String redisConfigWithClientOff() {
        return SynapseConfigFiles.render(new SynapseConfigFiles(topology, machine).redisClient(false));
    }

    private boolean runsSynapse() {
        return topology.synapseMachines().contains(machine);
    }

    private boolean runsNginx() {
        return machine.equals(topology.nginxMachine());
    }

    private boolean runsRedis() {
        return topology.redisSocket().isPresent() && machine.equals(topology.redisMachine());
    }

    /** Directories to create before the files; the package already creates conf.d and the log directory. */
    public List<RenderedDirectory> directories() {
        String group = SynapseConfigFiles.GROUP;
        List<RenderedDirectory> directories = new ArrayList<>();
        if (runsSynapse()) {
            directories.add(new RenderedDirectory("/etc/matrix-synapse/workers", "root", group, 0750));
            directories.add(new RenderedDirectory("/etc/matrix-synapse/logconf.d", "root", group, 0750));
            directories.add(new RenderedDirectory(topology.secretsDirectory(), "root", group, 0750));
        }
        if (runsMain()) {
            directories.add(new RenderedDirectory(SystemdUnits.MAIN_DROP_IN_DIRECTORY, "root", "root", 0755));
        }
        if (runsNginx()) {
            directories.add(new RenderedDirectory("/etc/nginx/snippets", "root", "root", 0755));
        }
        return List.copyOf(directories);
    }

    /**
     * Settings for {@code /etc/redis/redis.conf} on Redis's machine: a UNIX socket its group may use,
     * and no TCP listener unless other machines connect; then it listens on loopback and the private
     * address, and includes the file with its password. Empty elsewhere and without Redis. A change
     * needs {@code Restart(redis-server.service)}.
     */
    public Map<String, String> redisSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (!runsRedis()) {
            return settings;
        }
        boolean tcp = transports.redisOverTcp();
        settings.put("port", tcp ? String.valueOf(Transports.REDIS_PORT) : "0");
        if (tcp) {
            settings.put("bind", "127.0.0.1 -::1 " + transports.address(machine));
        }
        settings.put("unixsocket", topology.redisSocket().orElseThrow());
        settings.put("unixsocketperm", "770");
        if (tcp) {
            settings.put("include", REDIS_AUTH_CONF);
        }
        return settings;
    }

    /** PostgreSQL's side on its machine when Synapse machines connect from elsewhere; empty otherwise. */
    public Optional<PostgresServer> postgresServer() {
        if (!machine.equals(topology.databaseMachine()) || !transports.databaseOverTcp()) {
            return Optional.empty();
        }
        PostgresDatabase db = topology.database().orElseThrow();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("listen_addresses", "'localhost," + transports.address(machine) + "'");
        settings.put("ssl", "on");
        settings.put("password_encryption", "scram-sha-256");
        List<String> hba = new ArrayList<>();
        for (String client : topology.synapseMachines()) {
            if (!client.equals(machine)) {
                String address = transports.address(client);
                hba.add(String.join(" ", "hostssl", db.name(), db.user(), address + (address.contains(":") ? "/128" : "/32"), "scram-sha-256"));
            }
        }
        return Optional.of(new PostgresServer(settings, hba, databaseConnections()));
    }

    /**
     * The secrets Synapse reads from files ({@code *_path} keys, Synapse 1.67, 1.121 and 1.126) and
     * the database passfile. libpq ignores a passfile that its group or others may read, so that one
     * belongs to matrix-synapse with mode 0600.
     */
    public List<SecretFile> secretFiles() {
        List<ServiceAction> restartAll = List.of(new ServiceAction.Restart(TARGET));
        List<SecretFile> secrets = new ArrayList<>();
        if (runsMain()) {
            for (String name : mainSecrets()) {
                secrets.add(new SecretFile(secretPath(topology, name), "root", SynapseConfigFiles.GROUP, 0640, "", restartAll));
            }
        }
        if (runsSynapse()) {
            topology.database().ifPresent(db -> {
                PostgresDatabase here = databaseAsSeenFrom(topology, machine);
                secrets.add(new SecretFile(here.passfile(), "matrix-synapse", SynapseConfigFiles.GROUP, 0600, here.passfileLinePrefix(), restartAll));
            });
        }
        if (machine.equals(topology.databaseMachine()) && transports.databaseOverTcp()) {
            secrets.add(new SecretFile(DATABASE_PASSWORD_FILE, "root", "root", 0600, "", List.of()));
        }
        if (runsRedis() && transports.redisOverTcp()) {
            secrets.add(new SecretFile(REDIS_PASSWORD_FILE, "root", "redis", 0640, "", List.of(new ServiceAction.Restart(REDIS))));
        }
        return List.copyOf(secrets);
    }

    /** Generated on main's machine, received by every other Synapse machine. */
    private List<String> mainSecrets() {
        List<String> names = new ArrayList<>(List.of("registration_shared_secret", "macaroon_secret_key", "form_secret"));
        if (topology.spansMachines()) {
            names.add(SynapseConfigFiles.REPLICATION_SECRET);
        }
        return names;
    }

    /**
     * The secrets this machine must hold exactly as another machine made them: on a Synapse machine
     * other than main's, the signing key and main's secrets; on every Synapse machine, the database
     * password from PostgreSQL's machine (when that is another) and Redis's password (when it has one);
     * on Redis's machine, its {@code requirepass} line from its password. Write them before Synapse starts.
     */
    public List<ReceivedSecret> receivedSecrets() {
        List<ServiceAction> restartAll = List.of(new ServiceAction.Restart(TARGET));
        List<ReceivedSecret> received = new ArrayList<>();
        String main = topology.machine();
        if (runsSynapse() && !runsMain()) {
            received.add(new ReceivedSecret("signing key", main, SynapseConfigFiles.SIGNING_KEY,
                    new SecretFile(SynapseConfigFiles.SIGNING_KEY, "root", SynapseConfigFiles.GROUP, 0640, "", restartAll)));
            for (String name : mainSecrets()) {
                String path = secretPath(topology, name);
                received.add(new ReceivedSecret(name.replace('_', ' '), main, path,
                        new SecretFile(path, "root", SynapseConfigFiles.GROUP, 0640, "", restartAll)));
            }
        }
        if (runsSynapse() && transports.databaseOverTcp()) {
            received.add(new ReceivedSecret("database password", topology.databaseMachine(), DATABASE_PASSWORD_FILE,
                    new SecretFile(databasePasswordPath(topology), "root", "root", 0600, "", restartAll)));
        }
        if (runsSynapse() && transports.redisOverTcp()) {
            received.add(new ReceivedSecret("redis password", topology.redisMachine(), REDIS_PASSWORD_FILE,
                    new SecretFile(secretPath(topology, SynapseConfigFiles.REDIS_PASSWORD), "root", SynapseConfigFiles.GROUP, 0640, "", restartAll)));
        }
        if (runsRedis() && transports.redisOverTcp()) {
            received.add(new ReceivedSecret("redis password", machine, REDIS_PASSWORD_FILE,
                    new SecretFile(REDIS_AUTH_CONF, "root", "redis", 0640, "requirepass ", List.of(new ServiceAction.Restart(REDIS)))));
        }
        return List.copyOf(received);
    }

    /** Where a Synapse machine keeps the role's password, from which its passfile is derived. */
    static String databasePasswordPath(SynapseTopology topology) {
        return topology.secretsDirectory() + "/database_password";
    }

    /** The database as a process on {@code machine} connects to it: 127.0.0.1 on its own machine, its private address elsewhere. */
    static PostgresDatabase databaseAsSeenFrom(SynapseTopology topology, String machine) {
        PostgresDatabase db = topology.database().orElseThrow();
        return machine.equals(topology.databaseMachine()) ? db : db.on(new Transports(topology).address(topology.databaseMachine()), db.port());
    }

    static String secretPath(SynapseTopology topology, String name) {
        return topology.secretsDirectory() + "/" + name;
    }

    public List<GroupMembership> groupMemberships() {
        List<GroupMembership> memberships = new ArrayList<>();
        if (runsRedis() && runsSynapse()) {
            String socket = topology.redisSocket().orElseThrow();
            memberships.add(new GroupMembership("matrix-synapse", "redis",
                    "Redis's socket " + socket + " belongs to redis:redis with mode 0770", new ServiceAction.Restart(TARGET)));
        }
        if (runsNginx() && runsSynapse()) {
            memberships.add(new GroupMembership("www-data", SynapseConfigFiles.GROUP,
                    "nginx connects to the inbound sockets (group matrix-synapse, 0660) in " + topology.socketDirectory() + " (0770)",
                    new ServiceAction.Reload(NGINX)));
        }
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
        receivedSecrets().forEach(secret -> actions.addAll(secret.file().onChange()));
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
        if (unit.equals(REDIS) || unit.equals(FIREWALL)) {
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

    /** Connections PostgreSQL must accept when every process on every machine fills its pool: (1 + workers) x cp_max. */
    public int databaseConnections() {
        return topology.database().map(db -> (1 + topology.workers().size()) * db.poolMax()).orElse(0);
    }
}
