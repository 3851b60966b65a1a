package dev.provision.it.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.provision.it.cli.ProvisionProcess.Result;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's path end to end, the CLI in a process of its own against a Debian container: {@code provision init}
 * writes the starter playbook, an inventory in the same folder names the container, and the playbook is compiled
 * from that source. Every documented exit code is produced; the first run happens in a terminal, whose screen is
 * printed to the test log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @TestHost
    private static final DebianHost debian = DebianHost.bookworm();
    private static ProvisionProcess provision;
    private static String inventory;
    private static int closedPort;

    @BeforeAll
    static void writeThePlaybooksAndTheInventory() throws Exception {
        provision = new ProvisionProcess(dir, Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString()));
        Result init = provision.run("init", dir.toString());
        assertThat(init.exitCode()).as(init.err()).isZero();
        Files.writeString(dir.resolve("MissingPackage.java"), """
                import dev.provision.dsl.Host;
                import dev.provision.dsl.Playbook;
                import dev.provision.tasks.apt.Apt;

                public class MissingPackage extends Playbook {
                    @Override
                    protected void define(Host host) {
                        step("a package that does not exist", Apt.present("provision-no-such-package"));
                    }
                }
                """);
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path wrongKey = dir.resolve("wrong_key");
        assertThat(new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", wrongKey.toString()).start().waitFor()).isZero();
        inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                all:
                  user: root
                  identity_file: %s
                  known_hosts: %s
                  vars: { greeting: Hello }
                  hosts:
                    my.server: { address: 127.0.0.1, port: %d, playbook: MyServer }
                    missing.package: { address: 127.0.0.1, port: %3$d, playbook: MissingPackage }
                    closed.port: { address: 127.0.0.1, port: %d, playbook: MyServer }
                    wrong.key: { address: 127.0.0.1, port: %3$d, identity_file: %s, playbook: MyServer }
                    stranger: { address: 127.0.0.1, port: %3$d, known_hosts: stranger_known_hosts, playbook: MyServer }
                """.formatted(debian.privateKeyPath(), debian.knownHostsFile(), debian.sshPort(), closedPort, wrongKey)).toString();
    }

    @Test
    @Order(1)
    void theFirstApplyInATerminalShowsEachTaskLiveInColourWithTheRecapAndWritesTheJsonReport() throws Exception {
        Path json = dir.resolve("first.json");
        Result run = provision.runInTerminal(Map.of(), "apply", "-i", inventory, "--json", json.toString(), "--detailed-exitcodes", "my.server");
        System.out.println("---- provision apply in a terminal (\\e is ESC, \\r a carriage return) ----\n" + run.visibleOut() + "----");

        assertThat(run.exitCode()).as("changes made, --detailed-exitcodes").isEqualTo(2);
        assertThat(run.out()).contains("\033[1mHOST my.server\033[0m",
                "\033[33mchanged \033[0m packages are installed",
                "\033[33mchanged \033[0m the home page greets",
                "\033[33mchanged \033[0m reload nginx (handler)",
                "\033[1mPLAY RECAP\033[0m");
        assertThat(run.out()).as("the status line while apt works").containsPattern("\r\033\\[K[|/\\\\-] packages are installed \\(\\d+ s\\)");
        assertThat(run.out()).containsPattern("\033\\[33mmy\\.server\033\\[0m : (\033\\[32m)?ok=\\d+(\033\\[0m)? \033\\[33mchanged=\\d+\033\\[0m"
                + " unreachable=0 failed=0 skipped=0");

        Map<String, String> statuses = taskStatuses(JSON.readTree(json.toFile()));
        assertThat(statuses).containsEntry("packages are installed", "changed").containsEntry("the home page greets", "changed")
                .containsEntry("nginx does not show its version", "changed").containsEntry("reload nginx", "changed");
        assertThat(statuses.get("nginx runs and starts at boot")).isIn("ok", "changed");
        assertThat(debian.exec("curl -s http://localhost/").stdout()).isEqualTo("<h1>Hello from my.server</h1>\n");
    }

    @Test
    @Order(2)
    void theSecondApplyChangesNothingAndNoColourIsUsedWithNoColor() throws Exception {
        Path json = dir.resolve("second.json");
        Result run = provision.runInTerminal(Map.of("NO_COLOR", "1"), "apply", "-i", inventory, "--json", json.toString(),
                "--detailed-exitcodes", "my.server");
        System.out.println("---- provision apply in a terminal with NO_COLOR ----\n" + run.visibleOut() + "----");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("ok       packages are installed", "PLAY RECAP", "my.server : ok=4 changed=0")
                .doesNotContainPattern("\033\\[[0-9;]*m");
        JsonNode report = JSON.readTree(json.toFile());
        assertThat(report.get("changed").asInt()).isZero();
        assertThat(taskStatuses(report).values()).containsOnly("ok");
    }

    @Test
    @Order(3)
    void planReportsADriftMadeByHandAndLeavesIt() throws Exception {
        debian.exec("echo tampered > /var/www/html/index.html").requireSuccess();

        Result plan = provision.run("plan", "-i", inventory, "--detailed-exitcodes", "my.server");

        assertThat(plan.exitCode()).isEqualTo(2);
        assertThat(plan.out()).contains("changed  the home page greets", "-tampered", "+<h1>Hello from my.server</h1>",
                "PLAY RECAP (check mode: nothing was changed)", "my.server : ok=3 changed=1").doesNotContain("\033");
        assertThat(debian.exec("cat /var/www/html/index.html").stdout()).isEqualTo("tampered\n");
    }

    @Test
    @Order(4)
    void aTaskThatFailsExitsOne() throws Exception {
        Result run = provision.run("apply", "-i", inventory, "missing.package");

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("failed   a package that does not exist", "provision-no-such-package",
                "missing.package : ok=0 changed=0 unreachable=0 failed=1 skipped=0");
    }

    @Test
    @Order(5)
    void unreachableHostsExitThreeAndSayWhy() throws Exception {
        Result closed = provision.run("apply", "-i", inventory, "closed.port");
        assertThat(closed.exitCode()).as(closed.out()).isEqualTo(3);
        assertThat(closed.out()).contains("unreachable", "cannot connect to 127.0.0.1:" + closedPort);

        Result wrongKey = provision.run("apply", "-i", inventory, "wrong.key");
        assertThat(wrongKey.exitCode()).as(wrongKey.out()).isEqualTo(3);
        assertThat(wrongKey.out()).contains("authentication failed for root@127.0.0.1");

        Result stranger = provision.run("plan", "-i", inventory, "stranger");
        assertThat(stranger.exitCode()).as(stranger.out()).isEqualTo(3);
        assertThat(stranger.out()).contains("is not known: ssh-ed25519 key " + fingerprint(debian.hostKeyLine()), "--accept-new-host-keys");
    }

    @Test
    @Order(6)
    void factsShowWhatTheHostIsAndAcceptingANewHostKeyLetsItIn() throws Exception {
        Result facts = provision.run("facts", "-i", inventory, "my.server");
        assertThat(facts.exitCode()).as(facts.err()).isZero();
        assertThat(facts.out()).startsWith("my.server  root@127.0.0.1:" + debian.sshPort() + "\n")
                .contains("  os            Debian GNU/Linux 12 (bookworm)\n", "  architecture  ", "  kernel        Linux ")
                .containsPattern("  memory        \\d+\\.\\d GiB\n").containsPattern("  systemd       yes \\((running|degraded)\\)\n")
                .containsPattern("  packages      \\d+ \\(dpkg\\)\n");

        Result stranger = provision.run("facts", "-i", inventory, "--accept-new-host-keys", "stranger");
        assertThat(stranger.exitCode()).as(stranger.out()).isZero();
        assertThat(dir.resolve("stranger_known_hosts")).content().contains(debian.hostKeyLine().split(" ")[2]);
    }

    @Test
    @Order(7)
    void badInventoryUnknownHostAndACompileErrorExitFourAndNameTheSpot() throws Exception {
        Path yaml = Files.writeString(dir.resolve("bad.yaml"), "all:\n  hosts:\n    web1: { address: 10.0.0.1\n");
        Result badYaml = provision.run("apply", "-i", yaml.toString(), "web1");
        assertThat(badYaml.exitCode()).isEqualTo(4);
        assertThat(badYaml.err()).startsWith("provision: " + yaml + ":4:1: invalid YAML");

        Result unknown = provision.run("apply", "-i", inventory, "nope");
        assertThat(unknown.exitCode()).isEqualTo(4);
        assertThat(unknown.err()).contains("no host matches 'nope'");

        Path project = Files.createDirectories(dir.resolve("typo"));
        Path source = Files.writeString(project.resolve("Typo.java"), """
                import dev.provision.dsl.Host;
                import dev.provision.dsl.Playbook;
                import dev.provision.tasks.apt.Apt;

                public class Typo extends Playbook {
                    @Override
                    protected void define(Host host) {
                        step("nginx", Apt.presnt("nginx"));
                    }
                }
                """);
        Path typoInventory = Files.writeString(project.resolve("inventory.yaml"), Files.readString(Path.of(inventory)));
        Result typo = provision.run("apply", "-i", typoInventory.toString(), "my.server");
        assertThat(typo.exitCode()).isEqualTo(4);
        assertThat(typo.err()).contains(source + ":8:26: error: cannot find symbol\n"
                + "        step(\"nginx\", Apt.presnt(\"nginx\"));\n"
                + "                         ^\n"
                + "  symbol:   method presnt(java.lang.String)");
    }

    private static Map<String, String> taskStatuses(JsonNode report) {
        Map<String, String> statuses = new LinkedHashMap<>();
        for (JsonNode task : report.get("hosts").get(0).get("tasks")) {
            assertThat(task.get("durationMs").isIntegralNumber()).isTrue();
            assertThat(task.get("changes").isArray()).isTrue();
            statuses.put(task.get("name").asText(), task.get("status").asText());
        }
        return statuses;
    }

    /** As OpenSSH shows it: SHA256: and the unpadded base64 of the key blob's SHA-256. */
    private static String fingerprint(String knownHostsLine) throws Exception {
        byte[] blob = Base64.getDecoder().decode(knownHostsLine.split(" ")[2]);
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
    }
}
