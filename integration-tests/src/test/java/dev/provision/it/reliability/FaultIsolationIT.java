package dev.provision.it.reliability;

import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.it.support.InProcessCli;
import dev.provision.it.support.InProcessCli.Outcome;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;
import dev.provision.tasks.files.Files;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Two real hosts; a bug in one host's run (a fact parser that throws) is that host's failure, and the other converges. */
class FaultIsolationIT {

    @TestHost
    private static final DebianHost broken = DebianHost.bookworm();
    @TestHost
    private static final DebianHost healthy = DebianHost.bookworm();

    @TempDir
    Path dir;

    /** On the host named {@code broken}, a task reads the OS release with a parser that has a bug. */
    public static final class Fleet extends Playbook {
        @Override
        protected void define(Host host) {
            step("the marker file", Files.file("/etc/isolation-marker").content("ok\n").mode("0644"));
            if (host.name().equals("broken")) {
                Fact<String> release = Fact.of("cat /etc/os-release", result -> {
                    throw new IllegalStateException("parser bug reading " + result.stdout().lines().count() + " lines");
                });
                step("the release is read", new Task() {
                    @Override public String describe() { return "os release"; }
                    @Override public List<Fact<?>> facts() { return List.of(release); }
                    @Override public Plan plan(Facts facts) { return facts.get(release).isEmpty() ? Plan.ok() : Plan.ok(); }
                });
            }
            step("a second marker", Files.file("/etc/isolation-marker-2").content("ok\n").mode("0644"));
        }
    }

    @Test
    void aFactParserThatThrowsFailsItsHostNamingTheTaskAndTheExceptionWhileTheOtherHostConverges() throws IOException {
        Path inventory = TestInventory.create().host("broken", broken, Fleet.class.getName(), Map.of())
                .host("healthy", healthy, Fleet.class.getName(), Map.of()).writeTo(dir.resolve("inventory.yaml"));
        Path json = dir.resolve("report.json");

        Outcome run = new InProcessCli(dir.resolve("cache")).run("apply", "-i", inventory.toString(), "--json", json.toString(), "all");

        assertThat(run.exitCode()).as(run.printed()).isEqualTo(1);
        assertThat(run.out()).contains("broken  | failed   the release is read")
                .contains("could not read the answer to `cat /etc/os-release`: java.lang.IllegalStateException: parser bug reading 9 lines")
                .contains("healthy : ok=0 changed=2 unreachable=0 failed=0 skipped=0")
                .contains("broken  : ok=0 changed=1 unreachable=0 failed=1 skipped=0");
        assertThat(healthy.exec("cat /etc/isolation-marker-2").stdout()).isEqualTo("ok\n");
        assertThat(broken.exec("test -e /etc/isolation-marker-2").succeeded()).as("nothing after the failed task").isFalse();
        assertThat(java.nio.file.Files.readString(json))
                .contains("\"host\": \"broken\"", "\"succeeded\": false", "\"status\": \"failed\"", "java.lang.IllegalStateException: parser bug")
                .contains("\"host\": \"healthy\"");
    }
}
