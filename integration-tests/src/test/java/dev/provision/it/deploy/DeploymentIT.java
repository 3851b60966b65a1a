package dev.provision.it.deploy;

import dev.provision.dsl.Deployment;
import dev.provision.dsl.InlinePlaybook;
import dev.provision.dsl.Product;
import dev.provision.dsl.Role;
import dev.provision.dsl.Secret;
import dev.provision.it.support.InProcessCli;
import dev.provision.it.support.InProcessCli.Outcome;
import dev.provision.tasks.command.Command;
import dev.provision.tasks.files.Files;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployment of three bookworm hosts on a Docker network of the test's own: A generates a key,
 * B and C, which come after A, receive it. Stage order as the hosts saw it, the key the same
 * everywhere and nowhere else, a second run that changes nothing, A cut off mid-run and what that
 * leaves on B and C, and the run after it reconnects.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploymentIT {

    private static final String KEY = "/etc/trio/shared.key";
    private static final String SLOW = "/run/trio-slow";

    @AutoClose
    private static final Network network = Network.newNetwork();
    @TestHost
    private static final DebianHost a = DebianHost.bookworm().onNetwork(network, "trio-a");
    @TestHost
    private static final DebianHost b = DebianHost.bookworm().onNetwork(network, "trio-b");
    @TestHost
    private static final DebianHost c = DebianHost.bookworm().onNetwork(network, "trio-c");

    @TempDir
    static Path dir;
    private static InProcessCli cli;
    private static Path inventory;

    /** A makes the key; B and C, after A, write what they received, and stamp each stage as it runs. */
    public static final class Trio extends Deployment {
        @Override
        protected void define() {
            Role maker = role("keymaker", () -> InlinePlaybook.of(p -> {
                p.step("slow when asked", Command.run("touch /run/trio-sleeping; sleep 20; rm -f " + SLOW).onlyIf("test -e " + SLOW));
                p.step("keymaker stage stamped", stamp("keymaker"));
                p.step("the key is generated", Command.run("mkdir -p /etc/trio && umask 077 && od -An -tx1 -N32 /dev/urandom"
                        + " | tr -d ' \\n' >" + KEY + ".new && mv " + KEY + ".new " + KEY).creates(KEY));
            }));
            Product<Secret> key = maker.produces("shared key", Files.secretAt(KEY));
            role("users", () -> InlinePlaybook.forHost((p, host) -> {
                p.step("users stage stamped", stamp("users"));
                p.step("the folder for the key", Files.directory("/etc/trio").owner("root").group("root").mode("0700"));
                p.step("the key as received", Files.file(KEY).content(host.received(key)).owner("root").group("root").mode("0600"));
            })).after(maker);
        }

        private static Command stamp(String stage) {
            return Command.run("mkdir -p /var/lib/trio && date +%s%N >/var/lib/trio/" + stage).creates("/var/lib/trio/" + stage);
        }
    }

    @BeforeAll
    static void writeTheInventory() throws IOException {
        cli = new InProcessCli(dir.resolve("cache"));
        StringBuilder yaml = new StringBuilder("all:\n  hosts:\n");
        for (DebianHost host : List.of(a, b, c)) {
            yaml.append("    ").append(name(host)).append(": { address: 127.0.0.1, port: ").append(host.sshPort())
                    .append(", user: root, identity_file: ").append(host.privateKeyPath())
                    .append(", known_hosts: ").append(host.knownHostsFile()).append(" }\n");
        }
        yaml.append("deployments:\n  trio:\n    class: ").append(Trio.class.getName()).append("\n    roles:\n")
                .append("      keymaker: hostA\n      users: [hostB, hostC]\n");
        inventory = java.nio.file.Files.writeString(dir.resolve("inventory.yaml"), yaml);
    }

    private static String name(DebianHost host) {
        return host == a ? "hostA" : host == b ? "hostB" : "hostC";
    }

    private static Outcome apply(String... options) {
        List<String> args = new ArrayList<>(List.of("apply", "-i", inventory.toString(), "trio"));
        args.addAll(List.of(options));
        return cli.run(args.toArray(String[]::new));
    }

    private static String key(DebianHost host) {
        return host.exec("cat " + KEY).stdout();
    }

    @Test
    @Order(1)
    void stagesRunInOrderAndTheKeyGeneratedOnAReachesBAndCAndNothingElse() throws Exception {
        Path json = dir.resolve("first.json");
        List<String> processLists = new CopyOnWriteArrayList<>();
        CompletableFuture<Outcome> run = CompletableFuture.supplyAsync(() -> apply("-vv", "--diff", "--json", json.toString()));
        while (!run.isDone()) {
            for (DebianHost host : List.of(a, b, c)) {
                processLists.add(host.exec("ps -eo args").stdout());
            }
        }
        Outcome first = run.get(5, TimeUnit.MINUTES);

        assertThat(first.exitCode()).as(first.printed()).isZero();
        assertThat(first.out()).contains("DEPLOYMENT trio", "stage 1: keymaker on hostA", "stage 2: users on hostB, hostC, after keymaker");
        long made = stampOf(a, "keymaker");
        assertThat(stampOf(b, "users")).isGreaterThan(made);
        assertThat(stampOf(c, "users")).isGreaterThan(made);

        String secret = key(a);
        assertThat(secret).hasSize(64);
        assertThat(key(b)).isEqualTo(secret);
        assertThat(key(c)).isEqualTo(secret);
        assertThat(b.exec("stat -c %a " + KEY).stdout().strip()).isEqualTo("600");

        assertThat(first.printed()).doesNotContain(secret).contains("hostB [users]");
        assertThat(java.nio.file.Files.readString(json)).doesNotContain(secret).contains("\"stage\": \"users\"");
        assertThat(controllerFilesHolding(secret)).isEmpty();
        assertThat(String.join("\n", processLists)).doesNotContain(secret);
        for (DebianHost host : List.of(a, b, c)) {
            assertThat(host.exec("journalctl --no-pager; cat /root/.bash_history /root/.sh_history 2>/dev/null").stdout())
                    .as("journal and shell history of " + name(host)).doesNotContain(secret);
        }
    }

    @Test
    @Order(2)
    void aSecondApplyChangesNothingOnAnyHost() {
        Outcome second = apply("--detailed-exitcodes");

        assertThat(second.exitCode()).as(second.printed()).isZero();
        assertThat(second.out()).contains("changed=0").doesNotContain("changed=1");
    }

    @Test
    @Order(3)
    void checkModeChangesNothing() {
        b.exec("rm -f " + KEY).requireSuccess();

        Outcome check = apply("--check");

        assertThat(check.exitCode()).as(check.printed()).isZero();
        assertThat(check.out()).contains("changed  the key as received");
        assertThat(b.exec("test -e " + KEY).succeeded()).isFalse();
    }

    @Test
    @Order(4)
    void aCutOffMidRunSkipsBAndCWithTheReasonAndLeavesNothingHalfWrittenThenARerunConverges() throws Exception {
        c.exec("rm -f " + KEY).requireSuccess();
        a.exec("rm -f /run/trio-sleeping; touch " + SLOW).requireSuccess();
        CompletableFuture<Outcome> run = CompletableFuture.supplyAsync(() -> apply("--timeout", "15"));
        for (int i = 0; i < 300 && !a.exec("test -e /run/trio-sleeping").succeeded(); i++) {
            Thread.sleep(100);
        }
        a.disconnect();
        Outcome cut;
        try {
            cut = run.get(3, TimeUnit.MINUTES);
        } finally {
            a.reconnect();
        }

        System.out.print(cut.out());
        assertThat(cut.exitCode()).as(cut.printed()).isNotZero();
        assertThat(cut.out()).contains("hostB [users]", "hostC [users]").contains("waits for hostA (role keymaker), which failed");
        for (DebianHost user : List.of(b, c)) {
            assertThat(user.exec("test -e " + KEY).succeeded()).as("no key on " + name(user)).isFalse();
            assertThat(user.exec("ls -A /etc/trio").stdout()).as("nothing half-written on " + name(user)).isEmpty();
        }

        a.exec("rm -f " + SLOW).requireSuccess();
        Outcome again = apply();
        assertThat(again.exitCode()).as(again.printed()).isZero();
        assertThat(key(b)).isEqualTo(key(a));
        assertThat(key(c)).isEqualTo(key(a));
        assertThat(apply("--detailed-exitcodes").exitCode()).isZero();
    }

    private static long stampOf(DebianHost host, String stage) {
        return Long.parseLong(host.exec("cat /var/lib/trio/" + stage).requireSuccess().stdout().strip());
    }

    /** The files under the test's folder and provision's cache that hold {@code text}. */
    private static List<Path> controllerFilesHolding(String text) throws IOException {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "provision");
        List<Path> holding = new ArrayList<>();
        for (Path root : Stream.of(dir, cache).filter(java.nio.file.Files::isDirectory).toList()) {
            try (Stream<Path> files = java.nio.file.Files.walk(root)) {
                for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                    if (new String(java.nio.file.Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text)) {
                        holding.add(file);
                    }
                }
            }
        }
        return holding;
    }
}
