package dev.provision.playbooks.synapse;

import dev.provision.task.Fact;
import dev.provision.dsl.Handler;
import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.dsl.Received;
import dev.provision.dsl.Secret;
import dev.provision.dsl.Step;
import dev.provision.task.Task;
import dev.provision.tasks.AllOf;
import dev.provision.tasks.apt.Apt;
import dev.provision.tasks.apt.AptPackages;
import dev.provision.tasks.apt.AptRepository;
import dev.provision.tasks.apt.Debconf;
import dev.provision.tasks.edits.ConfigFile;
import dev.provision.tasks.files.FileTask;
import dev.provision.tasks.files.Files;
import dev.provision.tasks.postgres.Postgres;
import dev.provision.tasks.systemd.Systemd;
import dev.provision.tasks.users.Users;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Synapse with workers on one Debian host, following the worker guide step by step: packages, Redis on
 * its UNIX socket, PostgreSQL, Synapse's configuration, systemd units, nginx. Everything is derived from
 * one {@link SynapseTopology}; a topology that fails validation stops the run before the host is touched.
 *
 * <p>Used as it is, the topology and the Redis client policy come from host variables (see
 * {@link TopologyVars} and {@link RedisClientPolicy#of}); a class for one's own server passes them instead:
 *
 * <pre>{@code
 * public final class ExampleChat extends SynapseServer {
 *     public ExampleChat() {
 *         super(SynapseTopology.forServer("example.com").publicHostname("matrix.example.com")
 *                 .packagedBy(PackageSource.DEBIAN)
 *                 .workers(GuideLayout.standard().initialSyncWorkers(1).normalSyncWorkers(2))
 *                 .build(),
 *               RedisClientPolicy.installFrom(Path.of("/home/me/src/txredisapi")));
 *     }
 * }
 * }</pre>
 *
 * Secrets are generated on the host, once, and never leave it.
 */
public class SynapseServer extends Playbook {

    private static final String REDIS_CONF = "/etc/redis/redis.conf";
    /** Where Debian's python3 finds modules installed outside pip and dpkg's packages. */
    private static final String DEBIAN_SITE_PACKAGES = "/usr/lib/python3/dist-packages";

    private final Optional<SynapseTopology> topology;
    private final Optional<RedisClientPolicy> redisClient;
    /** Empty on one machine: every stage at once. */
    private final Optional<Stage> stage;
    private final Optional<SynapseCluster.Handover> handover;
    private final Map<ServiceAction, Handler> handlers = new LinkedHashMap<>();
    private Set<Stage> stagesHere = Set.of();

    /** Reads the topology and the Redis client policy from host variables. */
    public SynapseServer() {
        this.topology = Optional.empty();
        this.redisClient = Optional.empty();
        this.stage = Optional.empty();
        this.handover = Optional.empty();
    }

    /** For a playbook class that describes its own server. */
    protected SynapseServer(SynapseTopology topology, RedisClientPolicy redisClient) {
        this.topology = Optional.of(topology);
        this.redisClient = Optional.of(redisClient);
        this.stage = Optional.empty();
        this.handover = Optional.empty();
    }

    /** One stage of a {@link SynapseCluster} on the machine named as the inventory host. */
    SynapseServer(SynapseTopology topology, RedisClientPolicy redisClient, Stage stage, SynapseCluster.Handover handover) {
        this.topology = Optional.of(topology);
        this.redisClient = Optional.of(redisClient);
        this.stage = Optional.of(stage);
        this.handover = Optional.of(handover);
    }

    @Override
    protected void define(Host host) {
        SynapseTopology model = topology.orElseGet(() -> TopologyVars.read(host));
        SynapseDeployment deployment;
        if (stage.isPresent()) {
            deployment = SynapseDeployment.of(model, host.name());
            stagesHere = EnumSet.of(stage.get());
        } else {
            if (model.requireValid().spansMachines()) {
                throw new IllegalArgumentException("the Synapse topology spans machines " + String.join(", ", model.machines())
                        + ", but SynapseServer installs everything on one host: deploy it with a SynapseCluster (see SYNAPSE.md),"
                        + " or place every process on one machine");
            }
            deployment = SynapseDeployment.of(model);
            requireLocalDatabase(model);
            stagesHere = Stage.on(model, deployment.machine());
        }
        boolean firstStage = stage.isEmpty() || stage.get() == Stage.on(model, deployment.machine()).iterator().next();
        RedisClientPolicy policy = redisClient.orElseGet(() -> RedisClientPolicy.of(host));
        Optional<TxRedisApiCheckout> checkout = checkout(policy, model);
        RedisClientCheck client = new RedisClientCheck(model.packageSource().python());

        ServiceHandlers.of(deployment).forEach(planned -> handlers.put(planned.action(), handler(planned.name(), planned.task())));

        AdoptionOptions adoption = AdoptionOptions.of(host);
        if (firstStage && deployment.runsMain()) {
            step("a Synapse already here can be taken over as it is (server_name, package, database, nginx site)",
                    new AdoptionCheck(model, adoption));
            step("what the playbook may replace is backed up before its first change",
                    new TakeoverBackup(model, deployment.files().stream().map(RenderedFile::path).toList(), adoption));
        }
        if (firstStage) {
            firewall(deployment);
            packages(host, deployment);
        }
        if (runs(Stage.INSTALL)) {
            holdUntilConfigured(deployment);
            redisClient(policy, checkout, client, model);
        }
        if (runs(Stage.REDIS)) {
            redis(host, deployment);
        }
        if (runs(Stage.INSTALL)) {
            groups(deployment);
            if (stage.isPresent()) {
                step("workers placed on another machine or removed are stopped here first, so no worker ever runs twice",
                        new RetiredWorkers(model, deployment.machine()));
            }
        }
        if (runs(Stage.DATABASE)) {
            model.database().ifPresent(database -> database(host, deployment, database));
        }
        if (stage.filter(Stage.MAIN::equals).isPresent()) {
            step("every Synapse machine has the version main's has", new SameSynapseVersion(host.receivedFromEach(handover.get().version())));
        }
        if (stage.filter(Stage.MAIN::equals).isPresent()) {
            step("main's signing key is the one every other machine received before", new SameSigningKey(host.receivedFromEach(
                    handover.get().keyFingerprint())));
        }
        if (runs(Stage.configuring(model, deployment.machine()))) {
            receivedSecrets(host, deployment, false);
            synapseConfiguration(deployment, policy, client, adoption);
            systemd(deployment, client);
        }
        if (runs(Stage.WORKERS)) {
            workersStarted(deployment, policy, client);
        }
        if (runs(Stage.EDGE)) {
            nginx(deployment);
        }
    }

    private boolean runs(Stage part) {
        return stagesHere.contains(part);
    }

    /**
     * The packages.matrix.org signing key (the {@code .gpg} or {@code .asc} file matrix.org publishes),
     * read on this machine from the file the host variable {@code matrix_org_key_file} names. Override
     * to take it from elsewhere, such as a resource of your own.
     */
    protected byte[] matrixOrgKey(Host host) {
        Path key = Path.of(host.find("matrix_org_key_file").map(String::valueOf).orElseThrow(() -> new IllegalArgumentException(
                "package_source matrix_org needs packages.matrix.org's signing key: download"
                        + " https://packages.matrix.org/debian/matrix-org-archive-keyring.gpg, check its fingerprint"
                        + " and set matrix_org_key_file to its path (or use package_source: debian)")));
        try {
            return java.nio.file.Files.readAllBytes(key);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read matrix_org_key_file " + key + ": " + e.getMessage(), e);
        }
    }

    /** Everything the machine needs, at its first stage. */
    private void packages(Host host, SynapseDeployment deployment) {
        SynapseTopology model = deployment.topology();
        PackageSource source = model.packageSource();
        Set<Stage> machineStages = Stage.on(model, deployment.machine());
        if (machineStages.contains(Stage.INSTALL)) {
            step("Synapse's install questions are answered (server name, usage statistics)", Debconf.preseed(source.packageName())
                    .string("matrix-synapse/server-name", model.serverName())
                    .bool("matrix-synapse/report-stats", host.boolVar("report_stats", false)));
        }
        List<String> names = new ArrayList<>();
        if (machineStages.contains(Stage.REDIS)) {
            names.add("redis-server");
        }
        if (machineStages.contains(Stage.DATABASE)) {
            names.add("postgresql");
        }
        if (machineStages.contains(Stage.EDGE)) {
            names.add("nginx");
        }
        if (machineStages.contains(Stage.INSTALL)) {
            names.add(source.packageName());
        }
        AptPackages packages = Apt.present(names.toArray(String[]::new));
        if (machineStages.contains(Stage.INSTALL)) {
            source.repository().ifPresent(uri -> {
                AptRepository repository = Apt.repository("matrix-org").uri(uri).components("main").signedBy(matrixOrgKey(host));
                step("packages.matrix.org is a trusted repository", repository);
                packages.from(repository);
            });
        }
        step(String.join(", ", names) + (names.size() == 1 ? " is installed" : " are installed"), packages);
    }

    /**
     * Installed and loaded before anything listens on a private address: the table admits each port only
     * from the machines that need it ({@link Firewall}), checked with {@code nft -c} before it goes live.
     */
    private void firewall(SynapseDeployment deployment) {
        List<RenderedFile> files = deployment.files().stream().filter(SynapseServer::isFirewall).toList();
        if (files.isEmpty()) {
            return;
        }
        step("nftables is installed", Apt.present("nftables"));
        step("the firewall's table admits Synapse's ports only from the machines that need them", AllOf.of("firewall files",
                Files.directory(Firewall.DIRECTORY).owner("root").group("root").mode(0755),
                fileTask(files.get(0)).validate("nft -c -f %s"),
                fileTask(files.get(1))));
        step("the firewall is loaded, now and at boot", AllOf.of(Firewall.SERVICE,
                Systemd.daemonReload(Firewall.SERVICE),
                Systemd.service(Firewall.SERVICE).enabled().started(),
                RestartOutdated.restart(List.of(Firewall.SERVICE), files.stream().map(RenderedFile::path).toList())));
    }

    private static boolean isFirewall(RenderedFile file) {
        return file.path().equals(Firewall.FILE) || file.path().endsWith("/" + Firewall.SERVICE);
    }

    /**
     * Debian's package starts Synapse with its stock configuration, whose TLS listener on 8448 has no key
     * files: it fails and is restarted every few seconds, and an attempt that races the configuration
     * below runs with half of it (and the old unit, before the daemon-reload). So until this playbook
     * has written main's listeners, the package's Synapse is kept stopped, unless it runs: a server being
     * taken over goes on serving until its one restart.
     */
    private void holdUntilConfigured(SynapseDeployment deployment) {
        if (!deployment.runsMain()) {
            step("the package's main Synapse stays stopped and disabled: main runs on " + deployment.topology().machine(),
                    Systemd.service(SynapseDeployment.MAIN_SERVICE).stopped().disabled());
            return;
        }
        step("the package's Synapse stays stopped until it is configured", Systemd.service(SynapseDeployment.MAIN_SERVICE).stopped())
                .when(Fact.succeeds("test ! -e " + SynapseConfigFiles.CONF_D + "listeners.yaml && ! systemctl is-active --quiet "
                        + SynapseDeployment.MAIN_SERVICE));
    }

    /** Right after the install and before anything that restarts Synapse, as the policy says. */
    private void redisClient(RedisClientPolicy policy, Optional<TxRedisApiCheckout> checkout, RedisClientCheck client, SynapseTopology model) {
        if (model.redisSocket().isEmpty()) {
            return;
        }
        if (policy instanceof RedisClientPolicy.Require) {
            step("Synapse can use Redis (txredisapi is installed)", new RedisClientRequired(client, model.packageSource()));
        }
        checkout.ifPresent(source -> {
            step("txredisapi's dependencies are installed (six, hiredis)", Apt.present("python3-six", "python3-hiredis"));
            String distInfo = DEBIAN_SITE_PACKAGES + "/txredisapi-" + source.version() + ".dist-info";
            step("txredisapi " + source.version() + " is installed from " + source.directory(), AllOf.of(
                    "txredisapi " + source.version() + " in " + DEBIAN_SITE_PACKAGES,
                    Files.file(DEBIAN_SITE_PACKAGES + "/txredisapi.py").content(source.module()).owner("root").group("root").mode(0644),
                    Files.directory(distInfo).owner("root").group("root").mode(0755),
                    Files.file(distInfo + "/METADATA").content(source.metadata()).owner("root").group("root").mode(0644),
                    Files.file(distInfo + "/INSTALLER").content("provision\n").owner("root").group("root").mode(0644)));
        });
    }

    /** Redis is restarted in a step, not a handler: Synapse must find the socket when it first starts. */
    private void redis(Host host, SynapseDeployment deployment) {
        if (deployment.redisSettings().isEmpty()) {
            return;
        }
        List<String> read = new ArrayList<>(List.of(REDIS_CONF));
        for (SecretFile password : deployment.secretFiles()) {
            if (password.path().equals(SynapseDeployment.REDIS_PASSWORD_FILE)) {
                step("Redis's password is generated on its machine", HostSecret.generated(password));
                read.add(SynapseDeployment.REDIS_AUTH_CONF);
            }
        }
        receivedSecrets(host, deployment, true);
        ConfigFile settings = ConfigFile.at(REDIS_CONF);
        deployment.redisSettings().forEach(settings::set);
        String bind = deployment.redisSettings().get("bind");
        step(bind == null ? "Redis listens on its UNIX socket only"
                : "Redis listens on its UNIX socket, and with its password on " + bind, settings);
        step("Redis runs with these settings", AllOf.of("redis-server",
                Systemd.service(SynapseDeployment.REDIS).enabled().started(),
                RestartOutdated.restart(List.of(SynapseDeployment.REDIS), read)));
    }

    private void groups(SynapseDeployment deployment) {
        if (!deployment.topology().packageSource().createsSynapseGroup()) {
            step("the group " + SynapseConfigFiles.GROUP + " exists", Users.group(SynapseConfigFiles.GROUP).system());
        }
        for (GroupMembership membership : deployment.groupMemberships()) {
            step(membership.user() + " is in group " + membership.group() + ": " + membership.reason(),
                    Users.user(membership.user()).inGroups(membership.group()))
                    .notifies(handlersFor(List.of(membership.takesEffectAfter())));
        }
        step("Synapse's directories exist: workers, logconf.d, secrets, the main unit's drop-ins, nginx's snippets",
                AllOf.of("directories", deployment.directories().stream().map(directory -> Files.directory(directory.path())
                        .owner(directory.owner()).group(directory.group()).mode(directory.mode())).toArray(Task[]::new)));
    }

    /**
     * The role's password is generated on the host into a file of its own; the libpq passfile Synapse
     * reads is derived from it, so the password never passes through the controller.
     */
    private void database(Host host, SynapseDeployment deployment, PostgresDatabase database) {
        PostgresTuning tuning = PostgresTuning.forSynapse(deployment, host);
        step("PostgreSQL is tuned for this host and accepts " + tuning.connections() + " connections (" + tuning.connectionsReason() + ")",
                new PostgresTuned(tuning));
        Optional<PostgresServer> server = deployment.postgresServer();
        server.ifPresent(listening -> step("PostgreSQL listens on " + listening.settings().get("listen_addresses")
                + " with TLS, and admits only the deployment's Synapse machines (scram-sha-256 over TLS)", new PostgresListens(listening)));
        SecretFile password = server.isPresent()
                ? deployment.secretFiles().stream().filter(file -> file.path().equals(SynapseDeployment.DATABASE_PASSWORD_FILE)).findFirst().orElseThrow()
                : databasePassword(deployment.topology());
        step("the database password is generated on the host", HostSecret.generated(password));
        step("PostgreSQL role " + database.user() + " has that password", Postgres.role(database.user()).passwordFromFile(password.path()));
        step("database " + database.name() + " exists with C collation", Postgres.database(database.name())
                .owner(database.user()).encoding("UTF8").locale("C"));
    }

    /**
     * Files are grouped in steps by the guide's sections; the handlers they notify restart only the
     * processes whose own files changed, so a step may notify them all.
     */
    private void synapseConfiguration(SynapseDeployment deployment, RedisClientPolicy policy, RedisClientCheck client,
                                      AdoptionOptions adoption) {
        SynapseTopology model = deployment.topology();
        // before secrets.yaml names them: Synapse's --generate-keys would otherwise try to create them itself
        List<Task> secrets = new ArrayList<>();
        List<ServiceAction> secretActions = new ArrayList<>();
        String passfile = model.database().map(db -> SynapseDeployment.databaseAsSeenFrom(model, deployment.machine()).passfile()).orElse("");
        for (SecretFile secret : deployment.secretFiles()) {
            Optional<String> key = ExistingServer.SECRET_KEYS.stream().filter(name -> SynapseDeployment.secretPath(model, name).equals(secret.path()))
                    .findFirst();
            if (secret.path().equals(passfile)) {
                step("the database passfile is written on the host from the database password",
                        HostSecret.derivedFrom(databasePassword(model).path(), secret)).notifies(handlersFor(secret.onChange()));
            } else if (key.isPresent()) {
                secretActions.addAll(secret.onChange());
                secrets.add(new AdoptedSecret(model, key.get(), secret));
            } else if (secret.path().startsWith(model.secretsDirectory() + "/")) {
                secretActions.addAll(secret.onChange());
                secrets.add(HostSecret.generated(secret));
            }
        }
        Optional<RenderedFile> databaseYaml = rendered(deployment, SynapseConfigFiles.CONF_D + SynapseConfigFiles.DATABASE_YAML);
        databaseYaml.filter(database -> deployment.runsMain()).ifPresent(database -> step("a SQLite database with data moves to PostgreSQL (synapse_port_db), when allowed",
                new SqlitePort(model, database, rendered(deployment, SystemdUnits.MAIN_DROP_IN).orElseThrow(), adoption)));
        step("Synapse's secrets are on the host in their files: moved there from homeserver.yaml with the same values, else generated",
                AllOf.of("secret files", secrets.toArray(Task[]::new))).notifies(handlersFor(secretActions));

        filesStep("Synapse's shared configuration (conf.d): PostgreSQL, Redis, secrets, workers, and main's listeners"
                + " on UNIX sockets replacing Debian's 8448 and 8008", deployment, SynapseConfigFiles.CONF_D, file ->
                policy instanceof RedisClientPolicy.StageWorkers && file.path().equals(SynapseConfigFiles.CONF_D + SynapseConfigFiles.REDIS_YAML)
                        ? redisSwitch(file, client, deployment) : fileTask(file));
        filesStep("every worker has its configuration (workers/<name>.yaml)", deployment, "/etc/matrix-synapse/workers/", SynapseServer::fileTask);
        filesStep("every worker logs to its own file (logconf.d/<name>.yaml)", deployment, "/etc/matrix-synapse/logconf.d/", SynapseServer::fileTask);
    }

    private void systemd(SynapseDeployment deployment, RedisClientCheck client) {
        SynapseTopology model = deployment.topology();
        filesStep("systemd units: the target, main's drop-in, the worker template", deployment, "/etc/systemd/", SynapseServer::fileTask);
        if (!deployment.workers().isEmpty() && model.redisSocket().isPresent()) {
            step("workers wait for Synapse's Redis client (ExecCondition)", Systemd.dropIn("matrix-synapse-worker@", "redis-client")
                    .content("[Service]\n# skipped, not failed, while Synapse cannot load txredisapi\nExecCondition=" + client.execCondition() + "\n"));
        }
        List<String> units = new ArrayList<>(List.of(SynapseDeployment.TARGET, SynapseDeployment.MAIN_SERVICE));
        deployment.workers().forEach(worker -> units.add(SynapseDeployment.workerService(worker.name())));
        step("systemd has read the changed units", Systemd.daemonReload(units.toArray(String[]::new)));
        if (stage.isEmpty()) {
            step("workers no longer in the topology are stopped and their files removed", new RetiredWorkers(model, deployment.machine()));
        }
        if (deployment.runsMain()) {
            step("main runs and starts at boot", Systemd.service(SynapseDeployment.MAIN_SERVICE).enabled().started());
        }
        if (stage.isPresent() && deployment.runsMain()) {
            flushHandlers(); // a restart of main must come before the wait for it, and before the workers' stage
            step("main answers /health before any worker starts (its schema is migrated)", new MainHealthy(model));
        }
    }

    private void workersStarted(SynapseDeployment deployment, RedisClientPolicy policy, RedisClientCheck client) {
        step("the target starts Synapse and every worker at boot", Systemd.unit(SynapseDeployment.TARGET).enabled().started());
        for (SynapseWorker worker : deployment.workers()) {
            Step started = step("worker " + worker.name() + " runs", Systemd.service(SynapseDeployment.workerService(worker.name())).started());
            if (policy instanceof RedisClientPolicy.StageWorkers) {
                started.when(client.available());
            }
        }
    }

    /**
     * What this machine holds exactly as another made it (the signing key, main's secrets, the database's
     * and Redis's passwords), written before Synapse reads them; a copy of a file of its own is derived
     * on the machine. {@code redisSide}: only Redis's own {@code requirepass} file, else all the others.
     * A signing key received from main is fingerprinted on the machine, so that a main whose key
     * differs is caught before it restarts ({@link SameSigningKey}).
     */
    private void receivedSecrets(Host host, SynapseDeployment deployment, boolean redisSide) {
        for (ReceivedSecret secret : deployment.receivedSecrets()) {
            SecretFile file = secret.file();
            if (file.path().equals(SynapseDeployment.REDIS_AUTH_CONF) != redisSide) {
                continue;
            }
            if (secret.fromMachine().equals(deployment.machine())) {
                step("the " + secret.name() + " is copied on this machine to " + file.path(), HostSecret.derivedFrom(secret.sourcePath(), file))
                        .notifies(handlersFor(file.onChange()));
                continue;
            }
            Received<Secret> value = host.received(handover.orElseThrow().secrets().get(secret.name()));
            step("the " + value.describe() + " is in " + file.path(), Files.file(file.path()).content(value)
                    .owner(file.owner()).group(file.group()).mode(file.mode())).notifies(handlersFor(file.onChange()));
            if (file.path().equals(SynapseConfigFiles.SIGNING_KEY)) {
                step("the received signing key's fingerprint is kept beside it", SameSigningKey.fingerprintReceived());
            }
        }
    }

    /** Each file is tested with nginx -t where it goes live, in the model's order (upstreams, locations, server). */
    private void nginx(SynapseDeployment deployment) {
        filesStep("nginx serves " + deployment.topology().publicHostname() + " and sends each endpoint group to its workers",
                deployment, "/etc/nginx/", file -> file.path().equals(NginxConfig.SITE)
                        ? new NginxSite(deployment.topology(), fileTask(file).validateInPlace("nginx -t"))
                        : fileTask(file).validateInPlace("nginx -t"));
        step("nginx runs and starts at boot", Systemd.service("nginx").enabled().started());
    }

    private void filesStep(String name, SynapseDeployment deployment, String directory, Function<RenderedFile, Task> task) {
        List<RenderedFile> files = deployment.files().stream().filter(file -> file.path().startsWith(directory) && !isFirewall(file)).toList();
        if (files.isEmpty()) {
            return;
        }
        step(name, AllOf.of("files in " + directory, files.stream().map(task).toArray(Task[]::new)))
                .notifies(handlersFor(files.stream().flatMap(file -> file.onChange().stream()).toList()));
    }

    private static Optional<RenderedFile> rendered(SynapseDeployment deployment, String path) {
        return deployment.files().stream().filter(file -> file.path().equals(path)).findFirst();
    }

    private static RedisSwitch redisSwitch(RenderedFile file, RedisClientCheck client, SynapseDeployment deployment) {
        FileTask enabled = fileTask(file);
        FileTask disabled = fileTask(new RenderedFile(file.path(), deployment.redisConfigWithClientOff(),
                file.owner(), file.group(), file.mode(), file.onChange()));
        return new RedisSwitch(client, enabled, disabled);
    }

    private static FileTask fileTask(RenderedFile file) {
        return Files.file(file.path()).content(file.content()).owner(file.owner()).group(file.group()).mode(file.mode());
    }

    private Handler[] handlersFor(List<ServiceAction> actions) {
        return actions.stream().distinct().map(handlers::get).filter(Objects::nonNull).toArray(Handler[]::new);
    }

    private static SecretFile databasePassword(SynapseTopology model) {
        return new SecretFile(model.secretsDirectory() + "/database_password", "root", "root", 0600, "", List.of());
    }

    private static Optional<TxRedisApiCheckout> checkout(RedisClientPolicy policy, SynapseTopology model) {
        if (!(policy instanceof RedisClientPolicy.InstallFrom installFrom)) {
            return Optional.empty();
        }
        if (model.packageSource() != PackageSource.DEBIAN) {
            throw new IllegalArgumentException(model.packageSource().packageName() + " bundles txredisapi: drop txredisapi_source");
        }
        return Optional.of(TxRedisApiCheckout.read(installFrom.checkout()));
    }

    private static void requireLocalDatabase(SynapseTopology model) {
        Set<String> local = Set.of("127.0.0.1", "localhost", "::1");
        model.database().filter(database -> !database.overUnixSocket() && !local.contains(database.host())).ifPresent(database -> {
            throw new IllegalArgumentException("database host " + database.host() + ": SynapseServer installs and configures"
                    + " PostgreSQL on the Synapse host itself; use 127.0.0.1 or its socket directory");
        });
    }
}
