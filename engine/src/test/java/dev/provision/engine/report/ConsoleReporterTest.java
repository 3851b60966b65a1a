package dev.provision.engine.report;

import dev.provision.task.Diff;
import dev.provision.dsl.Secret;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static dev.provision.engine.report.Results.changed;
import static dev.provision.engine.report.Results.failed;
import static dev.provision.engine.report.Results.host;
import static dev.provision.engine.report.Results.task;
import static dev.provision.engine.report.Results.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

class ConsoleReporterTest {

    private final Masking masking = new Masking();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicLong now = new AtomicLong();

    private ConsoleReporter reporter(boolean terminal, boolean diff, List<String> hosts) {
        ConsoleReporter.Options options = new ConsoleReporter.Options(terminal, terminal, diff, 0, hosts);
        return new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), options, masking, now::get);
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void oneHostGetsAHeaderAndPlainLinesWithoutColourOffATerminal() {
        ConsoleReporter console = reporter(false, true, List.of("web1"));
        console.hostStarted("web1");
        console.taskFinished("web1", task("install nginx", Status.OK));
        console.taskFinished("web1", changed("configure nginx", "write /etc/nginx/nginx.conf", new Diff("/etc/nginx/nginx.conf", "a\n", "a\nb\n")));
        console.taskFinished("web1", failed("start nginx", "exit 1: Job failed\nsee journalctl"));
        console.taskFinished("web1", task("tls", Status.SKIPPED));
        assertThat(printed()).isEqualTo("""
                HOST web1
                ok       install nginx
                changed  configure nginx (2.5 s)
                         ~ write /etc/nginx/nginx.conf
                         --- /etc/nginx/nginx.conf (before)
                         +++ /etc/nginx/nginx.conf (after)
                         @@ -1,1 +1,2 @@
                          a
                         +b
                failed   start nginx
                         exit 1: Job failed
                         see journalctl
                skipped  tls
                """);
        assertThat(printed()).doesNotContain("\033[");
    }

    @Test
    void severalHostsPrefixEveryLineWithTheHostAligned() {
        ConsoleReporter console = reporter(false, false, List.of("web1", "db10"));
        console.hostStarted("web1");
        console.taskFinished("web1", failed("migrate", "no disk"));
        console.hostFinished(unreachable("db10", "connection refused"));
        assertThat(printed()).isEqualTo("""
                web1 | failed   migrate
                web1 |          no disk
                db10 | unreachable
                db10 |          connection refused
                """);
    }

    @Test
    void aNoticeIsALineOfItsHost() {
        ConsoleReporter console = reporter(false, false, List.of("web1", "db10"));
        console.hostNotice("db10", "waiting for the lock on db10 held by pid 42 on ci-1 since 2025-05-01T10:00:00Z (up to 600 s)");
        assertThat(printed()).isEqualTo("db10 | waiting for the lock on db10 held by pid 42 on ci-1 since 2025-05-01T10:00:00Z (up to 600 s)\n");
    }

    @Test
    void colourOnATerminal() {
        ConsoleReporter console = reporter(true, false, List.of("web1"));
        console.taskFinished("web1", task("install nginx", Status.OK));
        assertThat(printed()).isEqualTo("\033[32mok      \033[0m install nginx\n");
    }

    @Test
    void everythingPrintedIsMasked() {
        masking.add(Secret.of("console-secret-value"));
        ConsoleReporter console = reporter(false, true, List.of("web1"));
        console.taskFinished("web1", changed("set console-secret-value", "password console-secret-value",
                new Diff("/etc/pw", "", "pw=console-secret-value\n")));
        console.note("note console-secret-value");
        console.command("web1", () -> "echo console-secret-value");
        assertThat(printed()).doesNotContain("console-secret-value").contains("set ********", "+pw=********");
    }

    @Test
    void offATerminalALongTaskIsReportedEveryThirtySeconds() {
        ConsoleReporter console = reporter(false, false, List.of("web1"));
        console.taskStarted("web1", "install synapse");
        now.set(Duration.ofSeconds(29).toNanos());
        console.tick();
        assertThat(printed()).isEmpty();
        now.set(Duration.ofSeconds(30).toNanos());
        console.tick();
        console.tick();
        now.set(Duration.ofSeconds(61).toNanos());
        console.tick();
        assertThat(printed()).isEqualTo("""
                … install synapse still running (30 s)
                … install synapse still running (61 s)
                """);
    }

    @Test
    void onATerminalTheStatusLineSpinsAndIsClearedBeforeTheNextLine() {
        ConsoleReporter console = reporter(true, false, List.of("web1"));
        console.taskStarted("web1", "install synapse");
        now.set(Duration.ofMillis(500).toNanos());
        console.tick();
        assertThat(printed()).as("not yet slow").isEmpty();
        now.set(Duration.ofSeconds(12).toNanos());
        console.tick();
        console.tick();
        assertThat(printed()).isEqualTo("\r\033[K| install synapse (12 s)\r\033[K/ install synapse (12 s)");
        console.taskFinished("web1", task("install synapse", Status.OK));
        assertThat(printed()).endsWith("(12 s)\r\033[K\033[32mok      \033[0m install synapse\n");
    }

    @Test
    void verboseShowsResourcesAndCommands() {
        ConsoleReporter console = new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new ConsoleReporter.Options(false, false, false, 2, List.of("web1")), masking, now::get);
        console.taskFinished("web1", task("install nginx", Status.OK));
        console.command("web1", () -> "[exit 0] apt-get install -y nginx");
        assertThat(printed()).isEqualTo("""
                ok       install nginx [resource install nginx]
                         $ [exit 0] apt-get install -y nginx
                """);
    }

    @Test
    void theRecapFollowsTheReport() {
        ConsoleReporter console = reporter(false, false, List.of("web1"));
        console.recap(new RunReport(List.of(host("web1", task("a", Status.OK))), false));
        assertThat(printed()).isEqualTo("PLAY RECAP\nweb1 : ok=1 changed=0 unreachable=0 failed=0 skipped=0\n");
    }

    @Test
    void durationsAreShort() {
        assertThat(ConsoleReporter.duration(Duration.ofMillis(4200))).isEqualTo("4.2 s");
        assertThat(ConsoleReporter.duration(Duration.ofSeconds(187))).isEqualTo("3 min 07 s");
    }
}
