package dev.provision.it.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.provision.it.cli.ProvisionProcess.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code provision test} the way an operator runs it: playbooks from source beside an inventory, no Maven project, each
 * host's playbook on a container of its own that is gone afterwards unless {@code --keep}.
 */
class ProvisionTestIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static ProvisionProcess provision;
    private static String inventory;

    @BeforeAll
    static void playbooksAndInventory() throws IOException {
        provision = new ProvisionProcess(dir, Map.of());
        Files.writeString(dir.resolve("Motd.java"), """
                import dev.provision.dsl.Host;
                import dev.provision.dsl.Playbook;
                import dev.provision.dsl.Verifiable;
                import dev.provision.dsl.Verify;
                import dev.provision.tasks.files.Files;

                public class Motd extends Playbook implements Verifiable {
                    @Override
                    protected void define(Host host) {
                        step("the motd greets", Files.file("/etc/motd").content("hello from " + host.name() + "\\n").mode("0640"));
                    }

                    @Override
                    public void verify(Host host, Verify verify) {
                        verify.fileContent("/etc/motd", "hello from " + host.name() + "\\n").fileMode("/etc/motd", "0640")
                                .unitActive("ssh").listens(22).succeeds("grep -q hello /etc/motd");
                    }
                }
                """);
        Files.writeString(dir.resolve("Stamp.java"), """
                import dev.provision.dsl.Host;
                import dev.provision.dsl.Playbook;
                import dev.provision.tasks.command.Command;
                import dev.provision.tasks.files.Files;

                public class Stamp extends Playbook {
                    @Override
                    protected void define(Host host) {
                        step("the motd", Files.file("/etc/motd").content("stamped\\n"));
                        step("the time of the last run", Command.run("date +%s%N > /etc/stamp"));
                    }
                }
                """);
        Files.writeString(dir.resolve("WrongCheck.java"), """
                import dev.provision.dsl.Host;
                import dev.provision.dsl.Playbook;
                import dev.provision.dsl.Verifiable;
                import dev.provision.dsl.Verify;
                import dev.provision.tasks.files.Files;

                public class WrongCheck extends Playbook implements Verifiable {
                    @Override
                    protected void define(Host host) {
                        step("the motd", Files.file("/etc/motd").content("hello\\n"));
                    }

                    @Override
                    public void verify(Host host, Verify verify) {
                        verify.unitActive("provision-no-such-unit").fileContent("/etc/motd", "hello\\n");
                    }
                }
                """);
        inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                all:
                  hosts:
                    passing: { playbook: Motd }
                    stamping: { playbook: Stamp, vars: { test_suite: bookworm } }
                    misjudged: { playbook: WrongCheck }
                """).toString();
    }

    @Test
    void eachHostPassesOrFailsForItsOwnReasonAndNoContainerIsLeft() throws Exception {
        Path report = dir.resolve("test.json");

        Result run = provision.run("test", "-i", inventory, "--json", report.toString(), "all");
        System.out.println(run.out() + run.err());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("Converge: the first apply.", "Idempotence: the same playbook again; it must change nothing.",
                "ok:      file /etc/motd has its content", "ok:      TCP port 22 listens",
                "failed:  unit provision-no-such-unit is active", "Expecting unit:", "\"provision-no-such-unit\"");
        assertThat(run.out()).containsPattern("passing +passed \\(Debian bookworm: converged, idempotent, 5 check\\(s\\) passed\\)")
                .containsPattern("stamping +FAILED at idempotence: not idempotent: the second run changed \"the time of the last run\"")
                .containsPattern("misjudged +FAILED at verify: 1 check\\(s\\) failed: unit provision-no-such-unit is active");

        JsonNode json = JSON.readTree(Files.readString(report, StandardCharsets.UTF_8));
        assertThat(json.get("passed").asBoolean()).isFalse();
        assertThat(json.get("hosts")).extracting(host -> host.get("host").asText() + " " + host.get("failed_at").asText())
                .containsExactly("passing null", "stamping idempotence", "misjudged verify");
        JsonNode misjudged = json.get("hosts").get(2);
        assertThat(misjudged.get("checks").get(0).get("failure").asText()).contains("to be active, but it is:");
        assertThat(misjudged.get("runs")).hasSize(2);
        for (JsonNode host : json.get("hosts")) {
            assertThat(containerExists(host.get("container").asText())).as(host.get("container").asText() + " is removed").isFalse();
        }
    }

    @Test
    void keepLeavesTheContainerUntilEnterAndSaysHowToLogIn() throws Exception {
        Path output = dir.resolve("kept.out");
        Process run = provision.start(output, "test", "-i", inventory, "--keep", "passing");
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!Files.readString(output).contains("Press Enter to remove it.") && run.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            String shown = Files.readString(output);
            Matcher kept = Pattern.compile("The container (\\S+) is still running\\. Log in with:").matcher(shown);
            assertThat(kept.find()).as(shown).isTrue();
            assertThat(shown).contains("ssh -p ", "root@127.0.0.1");
            assertThat(containerExists(kept.group(1))).as("kept while provision waits").isTrue();

            run.getOutputStream().write('\n');
            run.getOutputStream().flush();
            assertThat(run.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(run.exitValue()).as(Files.readString(output)).isZero();
            assertThat(containerExists(kept.group(1))).as("removed after Enter").isFalse();
        } finally {
            run.destroyForcibly();
        }
    }

    private static boolean containerExists(String name) throws IOException, InterruptedException {
        Process ps = new ProcessBuilder(List.of("docker", "ps", "-aq", "--filter", "name=^" + name + "$")).redirectErrorStream(true).start();
        String ids = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(ps.waitFor()).isZero();
        return !ids.isEmpty();
    }
}
