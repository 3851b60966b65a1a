package dev.provision.it.playbooks;

import com.github.dockerjava.api.model.Network.Ipam;
import dev.provision.it.support.InProcessCli;
import dev.provision.it.support.InProcessCli.Outcome;
import dev.provision.playbooks.synapse.Duty;
import dev.provision.playbooks.synapse.PackageSource;
import dev.provision.playbooks.synapse.RedisClientPolicy;
import dev.provision.playbooks.synapse.Stream;
import dev.provision.playbooks.synapse.SynapseCluster;
import dev.provision.playbooks.synapse.SynapseTopology;
import dev.provision.playbooks.synapse.SynapseWorker;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Network;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Synapse across three sid machines of a network of the test's own, and a fourth outside the deployment:
 * A runs PostgreSQL and Redis, B main, nginx and the media worker, C the sync workers and stream writers,
 * D nothing. A {@link SynapseCluster} applied, applied again, and planned; D refused by every port the
 * machines open to each other; no secret in any output or journal; C cut off mid-run and back.
 *
 * <p>Without a txredisapi source ({@code -Dprovision.txredisapi}) Synapse's Redis client is off and the
 * workers are staged, as for one machine: the files, units and firewall are in place and main serves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SynapseClusterIT {

    /** A subnet of the test's own, so that a machine cut off comes back at its address. */
    private static final String SUBNET = "10.213." + ThreadLocalRandom.current().nextInt(0, 256) + ".0/24";

    @AutoClose
    private static final Network network = Network.builder()
            .createNetworkCmdModifier(cmd -> cmd.withIpam(new Ipam().withConfig(new Ipam.Config().withSubnet(SUBNET)))).build();
    @TestHost
    private static final DebianHost a = DebianHost.sid().onNetwork(network, "cluster-a");
    @TestHost
    private static final DebianHost b = DebianHost.sid().onNetwork(network, "cluster-b");
    @TestHost
    private static final DebianHost c = DebianHost.sid().onNetwork(network, "cluster-c");
    @TestHost
    private static final DebianHost d = DebianHost.sid().onNetwork(network, "cluster-d");

    /** The machines' addresses, known once the containers run; read by {@link ThreeMachines}. */
    private static final Map<String, String> addresses = new java.util.concurrent.ConcurrentHashMap<>();
    private static final List<String> printed = new ArrayList<>();

    @TempDir
    static Path dir;
    private static InProcessCli cli;
    private static Path inventory;

    /** Main and the media worker on B; sync workers and the stream writers on C. */
    public static final class ThreeMachines extends SynapseCluster {
        public ThreeMachines() {
            super(SynapseTopology.forServer("cluster.test").publicHostname("matrix.cluster.test").packagedBy(PackageSource.DEBIAN)
                    .machine("b").databaseOn("a").redisOn("a").nginxOn("b")
                    .machineAddress("a", addresses.get("a")).machineAddress("b", addresses.get("b")).machineAddress("c", addresses.get("c"))
                    .workers(List.of(SynapseWorker.named("mediaworker").doing(Duty.MEDIA),
                            SynapseWorker.named("initial_sync").doing(Duty.INITIAL_SYNC).on("c"),
                            SynapseWorker.named("sync").doing(Duty.NORMAL_SYNC).on("c"),
                            SynapseWorker.named("writer").writing(Stream.TYPING, Stream.TO_DEVICE, Stream.RECEIPTS, Stream.ACCOUNT_DATA,
                                    Stream.PRESENCE, Stream.PUSH_RULES).on("c"),
                            SynapseWorker.named("persister").writing(Stream.EVENTS).on("c")))
                    .build(), RedisClientPolicy.stageWorkers());
        }
    }

    @BeforeAll
    static void writeTheInventory() throws IOException {
        addresses.put("a", a.networkAddress());
        addresses.put("b", b.networkAddress());
        addresses.put("c", c.networkAddress());
        cli = new InProcessCli(dir.resolve("cache"));
        StringBuilder yaml = new StringBuilder("all:\n  hosts:\n");
        for (Map.Entry<String, DebianHost> host : Map.of("a", a, "b", b, "c", c).entrySet()) {
            yaml.append("    ").append(host.getKey()).append(": { address: 127.0.0.1, port: ").append(host.getValue().sshPort())
                    .append(", user: root, identity_file: ").append(host.getValue().privateKeyPath())
                    .append(", known_hosts: ").append(host.getValue().knownHostsFile()).append(" }\n");
        }
        yaml.append("deployments:\n  chat:\n    class: ").append(ThreeMachines.class.getName()).append("\n")
                .append("    roles: { database: a, redis: a, install: [b, c], main: b, workers: [b, c], edge: b }\n");
        inventory = java.nio.file.Files.writeString(dir.resolve("inventory.yaml"), yaml);
    }

    private static Outcome apply(String... options) {
        List<String> args = new ArrayList<>(List.of("apply", "-i", inventory.toString(), "chat"));
        args.addAll(List.of(options));
        Outcome outcome = cli.run(args.toArray(String[]::new));
        synchronized (printed) {
            printed.add(outcome.printed());
        }
        return outcome;
    }

    @Test
    @Order(1)
    void theFirstApplyPlacesEveryProcessOnItsMachine() throws IOException {
        Path json = dir.resolve("first.json");
        Outcome first = apply("--json", json.toString(), "--diff");
        printed.add(java.nio.file.Files.readString(json));

        assertThat(first.exitCode()).as(first.printed()).isZero();
        assertThat(first.out()).contains("a [database]", "a [redis]", "b [install]", "c [install]", "b [main]", "c [workers]", "b [edge]");
        assertThat(b.exec("systemctl is-active matrix-synapse.service").stdout().strip()).isEqualTo("active");
        assertThat(c.exec("systemctl is-enabled matrix-synapse.service").stdout().strip()).as("no main on C").isIn("disabled", "masked");
        assertThat(c.exec("systemctl is-active matrix-synapse.service").stdout().strip()).isNotEqualTo("active");
        assertThat(c.exec("sha256sum < /etc/matrix-synapse/homeserver.signing.key").stdout())
                .as("main's signing key on C").isEqualTo(b.exec("sha256sum < /etc/matrix-synapse/homeserver.signing.key").stdout());
        assertThat(a.exec("runuser -u postgres -- psql -XAtc \"select bool_and(s.ssl) from pg_stat_ssl s join pg_stat_activity a using (pid)"
                + " where a.usename = 'synapse'\"").stdout().strip()).as("main's connections to PostgreSQL use TLS").isEqualTo("t");
        for (DebianHost machine : List.of(a, b, c)) {
            assertThat(machine.exec("nft list table inet matrix_synapse").exitCode()).as("firewall on " + machine.hostname()).isZero();
        }
    }

    @Test
    @Order(2)
    void aSecondApplyChangesNothingOnAnyMachine() {
        Outcome second = apply("--detailed-exitcodes");

        assertThat(second.exitCode()).as(second.printed()).isZero();
        assertThat(second.out()).doesNotContain("changed=1", "failed=1");
    }

    @Test
    @Order(3)
    void checkModePlansNothing() {
        Outcome check = apply("--check", "--detailed-exitcodes");

        assertThat(check.exitCode()).as(check.printed()).isZero();
    }

    @Test
    @Order(4)
    void theMachineOutsideTheDeploymentIsRefusedByEveryPortTheMachinesOpenToEachOther() {
        List<String> ports = new ArrayList<>();
        for (Map.Entry<String, DebianHost> machine : Map.of("a", a, "b", b, "c", c).entrySet()) {
            String table = machine.getValue().exec("cat /etc/nftables.d/matrix-synapse.nft").stdout();
            java.util.regex.Matcher port = java.util.regex.Pattern.compile("tcp dport (\\d+) ").matcher(table);
            while (port.find()) {
                ports.add(addresses.get(machine.getKey()) + "/" + port.group(1));
            }
        }
        assertThat(ports).contains(addresses.get("a") + "/5432", addresses.get("a") + "/6379", addresses.get("b") + "/9093");
        for (String port : ports.stream().distinct().toList()) {
            assertThat(d.exec("timeout 5 bash -c 'exec 3<>/dev/tcp/" + port + "'").exitCode()).as("D connects to " + port).isNotZero();
        }
        assertThat(b.exec("timeout 5 bash -c 'exec 3<>/dev/tcp/" + addresses.get("a") + "/5432'").exitCode())
                .as("B, a Synapse machine, reaches PostgreSQL on A").isZero();
        assertThat(c.exec("timeout 5 bash -c 'exec 3<>/dev/tcp/" + addresses.get("b") + "/9093'").exitCode())
                .as("C reaches main's replication listener on B").isZero();
        assertThat(d.exec("timeout 5 bash -c 'exec 3<>/dev/tcp/" + addresses.get("b") + "/9093'").stderr()).contains("refused");
    }

    @Test
    @Order(5)
    void noSecretAppearsInAnyOutputReportOrJournal() {
        List<String> secrets = new ArrayList<>();
        secrets.add(a.exec("cat /etc/postgresql/matrix-synapse.password").stdout().strip());
        secrets.add(a.exec("cat /etc/redis/matrix-synapse.password").stdout().strip());
        for (String name : List.of("registration_shared_secret", "macaroon_secret_key", "form_secret", "worker_replication_secret")) {
            secrets.add(b.exec("cat /etc/matrix-synapse/secrets/" + name).stdout().strip());
        }
        assertThat(secrets).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThan(15));
        assertThat(c.exec("cat /etc/matrix-synapse/secrets/worker_replication_secret").stdout().strip()).isEqualTo(secrets.get(5));
        String everythingPrinted = String.join("\n", printed);
        for (DebianHost machine : List.of(a, b, c)) {
            String journal = machine.exec("journalctl --no-pager; cat /root/.bash_history /root/.sh_history 2>/dev/null").stdout();
            for (String secret : secrets) {
                assertThat(journal).as("journal of " + machine.hostname()).doesNotContain(secret);
                assertThat(everythingPrinted).doesNotContain(secret);
            }
        }
    }

    @Test
    @Order(6)
    void cCutOffMidRunIsReportedWhileAAndBConvergeThenARerunConverges() throws Exception {
        String mainStarted = b.exec("systemctl show -P ExecMainStartTimestampMonotonic matrix-synapse").stdout().strip();
        b.exec("echo '# changed by hand' >> /etc/matrix-synapse/conf.d/listeners.yaml").requireSuccess();
        CompletableFuture<Outcome> run = CompletableFuture.supplyAsync(() -> apply("--timeout", "20"));
        for (int i = 0; i < 1200 && b.exec("systemctl show -P ExecMainStartTimestampMonotonic matrix-synapse").stdout().strip()
                .equals(mainStarted); i++) {
            Thread.sleep(100);
        }
        c.disconnect();
        Outcome cut;
        try {
            cut = run.get(10, TimeUnit.MINUTES);
        } finally {
            c.reconnect();
        }

        System.out.print(cut.out());
        assertThat(cut.exitCode()).as(cut.printed()).isNotZero();
        assertThat(cut.out()).contains("b [edge]").containsPattern("c \\[workers\\][^\\n]*(failed|unreachable)");
        assertThat(b.exec("grep -c 'changed by hand' /etc/matrix-synapse/conf.d/listeners.yaml").stdout().strip()).isEqualTo("0");
        assertThat(b.exec("systemctl is-active matrix-synapse.service").stdout().strip()).isEqualTo("active");
        assertThat(c.networkAddress()).isEqualTo(addresses.get("c"));

        Outcome again = apply();
        assertThat(again.exitCode()).as(again.printed()).isZero();
        Outcome still = apply("--detailed-exitcodes");
        assertThat(still.exitCode()).as(still.printed()).isZero();
    }
}
