package dev.provision.playbooks.synapse;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Synapse homeserver with workers, placed on one machine or several: the one description from
 * which configuration, units, nginx routing, firewalls and the validation are derived. Processes on
 * one machine talk over UNIX sockets; a process reached from another machine listens on its
 * machine's private address (see {@link Builder#machineAddress}).
 *
 * <pre>{@code
 * SynapseTopology topology = SynapseTopology.forServer("example.com")
 *         .publicHostname("matrix.example.com")
 *         .packagedBy(PackageSource.MATRIX_ORG)
 *         .database(PostgresDatabase.named("synapse"))
 *         .workers(GuideLayout.standard().initialSyncWorkers(2).normalSyncWorkers(3))
 *         .build();
 * topology.requireValid();
 * }</pre>
 *
 * Building never fails; {@link #validate()} lists every problem and {@link #requireValid()} throws
 * them all at once. Secrets are not part of the model: only the paths of the files that hold them.
 */
public final class SynapseTopology {

    /** The instance name of the main process in {@code instance_map}. */
    public static final String MAIN = "main";

    private final String serverName;
    private final String publicHostname;
    private final PackageSource packageSource;
    private final Optional<PostgresDatabase> database;
    private final Optional<String> redisSocket;
    private final String socketDirectory;
    private final String secretsDirectory;
    private final String machine;
    private final Optional<String> redisMachine;
    private final Optional<String> databaseMachine;
    private final Optional<String> nginxMachine;
    private final Map<String, String> addresses;
    private final Set<String> allowedPublicAddresses;
    private final List<SynapseWorker> workers;
    private final Optional<String> mediaBackgroundJobsOn;
    private final List<String> adminApiAllowedFrom;
    private final Optional<Tls> tls;
    private final Map<PostgresSetting, String> postgresSettings;

    private SynapseTopology(Builder b) {
        this.serverName = b.serverName;
        this.publicHostname = b.publicHostname.orElse(b.serverName);
        this.packageSource = b.packageSource;
        this.database = b.database;
        this.redisSocket = b.redisSocket;
        this.socketDirectory = b.socketDirectory;
        this.secretsDirectory = b.secretsDirectory;
        this.machine = b.machine;
        this.redisMachine = b.redisMachine;
        this.databaseMachine = b.databaseMachine;
        this.nginxMachine = b.nginxMachine;
        this.addresses = Collections.unmodifiableMap(new LinkedHashMap<>(b.addresses));
        this.allowedPublicAddresses = Set.copyOf(b.allowedPublicAddresses);
        this.workers = b.workers;
        this.mediaBackgroundJobsOn = b.mediaBackgroundJobsOn;
        this.adminApiAllowedFrom = b.adminApiAllowedFrom;
        this.tls = b.tls;
        this.postgresSettings = Map.copyOf(b.postgresSettings);
    }

    /** Starts with the guide's layout, the matrix.org package, PostgreSQL {@code synapse} and Redis. */
    public static Builder forServer(String serverName) {
        return new Builder(serverName);
    }

    /** Every problem, each naming its fix; empty when the topology can be deployed. */
    public List<TopologyProblem> validate() {
        return TopologyRules.check(this);
    }

    /** Every machine of the topology that is not among the inventory's {@code hosts}, each naming the fix. */
    public List<TopologyProblem> validateAgainstInventory(java.util.Collection<String> hosts) {
        return TopologyRules.checkInventory(this, hosts);
    }

    /** This topology, or an {@link InvalidTopologyException} listing all problems. */
    public SynapseTopology requireValid() {
        List<TopologyProblem> problems = validate();
        if (!problems.isEmpty()) {
            throw new InvalidTopologyException(problems);
        }
        return this;
    }

    /** The {@code server_name}: the domain in user IDs. */
    public String serverName() {
        return serverName;
    }

    /** The host name clients and servers reach Synapse at, nginx's {@code server_name}. */
    public String publicHostname() {
        return publicHostname;
    }

    public PackageSource packageSource() {
        return packageSource;
    }

    /** Empty means Synapse keeps the package's SQLite database, which workers cannot use. */
    public Optional<PostgresDatabase> database() {
        return database;
    }

    public Optional<String> redisSocket() {
        return redisSocket;
    }

    /** Where every Synapse socket lives; systemd creates it as the units' RuntimeDirectory. */
    public String socketDirectory() {
        return socketDirectory;
    }

    public String secretsDirectory() {
        return secretsDirectory;
    }

    /** The machine main runs on. */
    public String machine() {
        return machine;
    }

    /** The machine Redis runs on; by default main's. */
    public String redisMachine() {
        return redisMachine.orElse(machine);
    }

    /** The machine PostgreSQL runs on; by default main's. */
    public String databaseMachine() {
        return databaseMachine.orElse(machine);
    }

    /** The edge machine nginx runs on; by default main's. */
    public String nginxMachine() {
        return nginxMachine.orElse(machine);
    }

    public String machineOf(SynapseWorker worker) {
        return worker.machine().orElse(machine);
    }

    /** The machine of {@code main} or of the worker of this name. */
    public String machineOfProcess(String process) {
        return process.equals(MAIN) ? machine : workers.stream().filter(w -> w.name().equals(process))
                .map(this::machineOf).findFirst().orElseThrow(() -> new IllegalArgumentException("no process " + process));
    }

    /** Every machine of the topology: main's, the workers', then Redis's, PostgreSQL's and nginx's, each once. */
    public List<String> machines() {
        Set<String> all = new LinkedHashSet<>(synapseMachines());
        redisSocket.ifPresent(socket -> all.add(redisMachine()));
        database.ifPresent(db -> all.add(databaseMachine()));
        all.add(nginxMachine());
        return List.copyOf(all);
    }

    /** The machines running a Synapse process: main's first, then the workers' in their order. */
    public List<String> synapseMachines() {
        Set<String> all = new LinkedHashSet<>();
        all.add(machine);
        workers.forEach(worker -> all.add(machineOf(worker)));
        return List.copyOf(all);
    }

    public boolean spansMachines() {
        return machines().size() > 1;
    }

    /** The private address other machines reach {@code machine} at, as given to {@link Builder#machineAddress}. */
    public Optional<String> address(String machine) {
        return Optional.ofNullable(addresses.get(machine));
    }

    /** Every address given, by machine, including those of machines the topology does not use. */
    public Map<String, String> addresses() {
        return addresses;
    }

    /** Addresses outside the private ranges that {@link Builder#allowAddress} admits. */
    public Set<String> allowedPublicAddresses() {
        return allowedPublicAddresses;
    }

    public List<SynapseWorker> workers() {
        return workers;
    }

    public List<SynapseWorker> workersOn(String machine) {
        return workers.stream().filter(worker -> machineOf(worker).equals(machine)).toList();
    }

    public List<SynapseWorker> workersDoing(Role role) {
        return workers.stream().filter(worker -> worker.does(role)).toList();
    }

    List<String> workerNamesDoing(Role role) {
        return workersDoing(role).stream().map(SynapseWorker::name).toList();
    }

    /** The media worker named in {@code media_instance_running_background_jobs}: as set, else the first. */
    public Optional<String> mediaBackgroundJobsOn() {
        return mediaBackgroundJobsOn.or(() -> workerNamesDoing(Duty.MEDIA).stream().findFirst());
    }

    /** Addresses or networks nginx lets reach {@code /_synapse/admin}; empty means nobody. */
    public List<String> adminApiAllowedFrom() {
        return adminApiAllowedFrom;
    }

    public Optional<Tls> tls() {
        return tls;
    }

    /** PostgreSQL settings set instead of computed ({@link PostgresTuning}), as PostgreSQL writes them. */
    public Map<PostgresSetting, String> postgresSettings() {
        return postgresSettings;
    }

    public String mainInboundSocket() {
        return inboundSocket(MAIN);
    }

    public String mainReplicationSocket() {
        return replicationSocket(MAIN);
    }

    /** The socket nginx sends a process requests on. */
    public String inboundSocket(String process) {
        return socketDirectory + "/inbound_" + process + ".sock";
    }

    /** The socket other Synapse processes reach a process on ({@code instance_map}). */
    public String replicationSocket(String process) {
        return socketDirectory + "/replication_" + process + ".sock";
    }

    public String workerConfigPath(String worker) {
        return "/etc/matrix-synapse/workers/" + worker + ".yaml";
    }

    public String workerLogConfigPath(String worker) {
        return "/etc/matrix-synapse/logconf.d/" + worker + ".yaml";
    }

    public String workerLogPath(String worker) {
        return "/var/log/matrix-synapse/" + worker + ".log";
    }

    /** Adjusts the defaults; every setter replaces the previous value. */
    public static final class Builder {
        private final String serverName;
        private Optional<String> publicHostname = Optional.empty();
        private PackageSource packageSource = PackageSource.MATRIX_ORG;
        private Optional<PostgresDatabase> database = Optional.of(PostgresDatabase.named("synapse"));
        private Optional<String> redisSocket = Optional.of("/run/redis/redis-server.sock");
        private String socketDirectory = "/run/matrix-synapse";
        private String secretsDirectory = "/etc/matrix-synapse/secrets";
        private String machine = "localhost";
        private Optional<String> redisMachine = Optional.empty();
        private Optional<String> databaseMachine = Optional.empty();
        private Optional<String> nginxMachine = Optional.empty();
        private final Map<String, String> addresses = new LinkedHashMap<>();
        private final Set<String> allowedPublicAddresses = new LinkedHashSet<>();
        private List<SynapseWorker> workers = GuideLayout.standard().workers();
        private Optional<String> mediaBackgroundJobsOn = Optional.empty();
        private List<String> adminApiAllowedFrom = List.of("127.0.0.1", "::1");
        private Optional<Tls> tls = Optional.empty();
        private final Map<PostgresSetting, String> postgresSettings = new EnumMap<>(PostgresSetting.class);

        private Builder(String serverName) {
            this.serverName = serverName;
        }

        public Builder publicHostname(String hostname) {
            this.publicHostname = Optional.of(hostname);
            return this;
        }

        public Builder packagedBy(PackageSource source) {
            this.packageSource = source;
            return this;
        }

        public Builder database(PostgresDatabase database) {
            this.database = Optional.of(database);
            return this;
        }

        /** Keeps the package's SQLite database: only for a Synapse without workers. */
        public Builder withoutPostgres() {
            this.database = Optional.empty();
            return this;
        }

        public Builder redisSocket(String path) {
            this.redisSocket = Optional.of(path);
            return this;
        }

        /** No Redis: only for a Synapse without workers. */
        public Builder withoutRedis() {
            this.redisSocket = Optional.empty();
            return this;
        }

        public Builder socketDirectory(String directory) {
            this.socketDirectory = directory;
            return this;
        }

        public Builder secretsDirectory(String directory) {
            this.secretsDirectory = directory;
            return this;
        }

        /**
         * Names the machine main runs on (an inventory host of the deployment); workers are placed
         * with {@link SynapseWorker#on}, everything not placed runs on this one.
         */
        public Builder machine(String machine) {
            this.machine = machine;
            return this;
        }

        public Builder redisOn(String machine) {
            this.redisMachine = Optional.of(machine);
            return this;
        }

        public Builder databaseOn(String machine) {
            this.databaseMachine = Optional.of(machine);
            return this;
        }

        public Builder nginxOn(String machine) {
            this.nginxMachine = Optional.of(machine);
            return this;
        }

        /**
         * The private address (an IPv4 or IPv6 literal) other machines reach {@code machine} at: its
         * listeners bind it, and the other machines' firewalls admit it. Needed for every machine
         * once the topology spans several.
         */
        public Builder machineAddress(String machine, String address) {
            this.addresses.put(machine, address);
            return this;
        }

        public Builder machineAddresses(Map<String, String> addressesByMachine) {
            this.addresses.putAll(addressesByMachine);
            return this;
        }

        /** Admits an address outside RFC 1918 and ULA, for a network known to be private otherwise. */
        public Builder allowAddress(String address) {
            this.allowedPublicAddresses.add(address);
            return this;
        }

        public Builder workers(GuideLayout layout) {
            return workers(layout.workers());
        }

        public Builder workers(List<SynapseWorker> workers) {
            this.workers = List.copyOf(workers);
            return this;
        }

        /** A monolith: main only, still on UNIX sockets behind nginx. */
        public Builder withoutWorkers() {
            return workers(List.of());
        }

        public Builder mediaBackgroundJobsOn(String mediaWorker) {
            this.mediaBackgroundJobsOn = Optional.of(mediaWorker);
            return this;
        }

        public Builder adminApiAllowedFrom(String... addressesOrNetworks) {
            this.adminApiAllowedFrom = List.of(addressesOrNetworks);
            return this;
        }

        public Builder tls(String certificate, String key) {
            this.tls = Optional.of(new Tls(certificate, key));
            return this;
        }

        /** A PostgreSQL setting instead of the computed one, e.g. {@code postgresSetting(SHARED_BUFFERS, "2GB")}. */
        public Builder postgresSetting(PostgresSetting setting, String value) {
            this.postgresSettings.put(setting, value);
            return this;
        }

        public SynapseTopology build() {
            return new SynapseTopology(this);
        }
    }
}
