package dev.provision.it.reliability;

import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host lost in the middle of a run, frozen ({@code docker pause}) or with its sshd killed: that host
 * fails with a message that says what happened, the other host finishes, and a re-run converges.
 */
class ConnectionLossIT {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    @TestHost
    private static final DebianHost steady = DebianHost.bookworm();
    @TestHost
    private static final DebianHost lost = DebianHost.bookworm();

    @TempDir
    Path dir;

    @AfterEach
    void fresh() {
        for (DebianHost host : new DebianHost[] {steady, lost}) {
            host.exec("rm -f /root/before /root/after /root/working /root/worked").requireSuccess();
        }
    }

    private String inventory() {
        return TestInventory.create()
                .host("steady", steady, SlowWork.class.getName(), Map.of("seconds", "5"))
                .host("lost", lost, SlowWork.class.getName(), Map.of("seconds", "5"))
                .writeTo(dir.resolve("inventory.yaml")).toString();
    }

    private Controller apply(String log, String... options) {
        String[] args = new String[options.length + 4];
        args[0] = "apply";
        System.arraycopy(options, 0, args, 1, options.length);
        args[options.length + 1] = "-i";
        args[options.length + 2] = inventory();
        args[options.length + 3] = "all";
        return Controller.start(dir.resolve(log), args);
    }

    private static void awaitWork() {
        lost.exec("i=0; until test -e " + SlowWork.WORKING + " || test $i -gt 600; do sleep 0.1; i=$((i+1)); done; test -e "
                + SlowWork.WORKING).requireSuccess();
    }

    @Test
    void aFrozenHostTimesOutAloneAndAReRunConverges() {
        long started = System.nanoTime();
        Controller run = apply("first.log", "--timeout", "10");
        awaitWork();
        lost.pause();
        try {
            assertThat(run.await(RUN_TIMEOUT)).as(run.output()).isEqualTo(1);
        } finally {
            lost.unpause();
        }
        System.out.printf("[connection loss] the run with a frozen host ended after %d s:%n%s%n",
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), run.output());
        assertFailedAlone(run, "command timed out after 10s on root@127.0.0.1:" + lost.sshPort() + ": touch /root/working;"
                + " sleep 5; touch /root/worked ... (the connection was closed; the command may still be running on the host)");
        assertConverges();
    }

    @Test
    void aHostWhoseSshdIsKilledFailsAloneAndAReRunConverges() {
        Controller run = apply("first.log");
        awaitWork();
        lost.exec("pkill -9 -f '^sshd: root'").requireSuccess();

        assertThat(run.await(RUN_TIMEOUT)).as(run.output()).isEqualTo(1);
        System.out.println("[connection loss] the run:\n" + run.output());
        assertFailedAlone(run, "lost the connection to root@127.0.0.1:" + lost.sshPort() + " (Broken transport; encountered EOF);"
                + " the command may still be running on the host");
        assertConverges();
    }

    /** The lost host failed its work with this message; the steady one did all of its own. */
    private static void assertFailedAlone(Controller run, String message) {
        assertThat(run.output()).contains("lost   | failed   work", "lost   |          " + message,
                "steady : ok=0 changed=3 unreachable=0 failed=0 skipped=0", "lost   : ok=0 changed=1 unreachable=0 failed=1 skipped=0");
    }

    private void assertConverges() {
        Controller again = apply("again.log");
        assertThat(again.await(RUN_TIMEOUT)).as(again.output()).isZero();
        System.out.println("[connection loss] the re-run:\n" + again.output());
        assertThat(again.output()).contains("steady : ok=3 changed=0", "lost   : ok=").doesNotContain("failed=1");
        Controller third = apply("third.log", "--detailed-exitcodes");
        assertThat(third.await(RUN_TIMEOUT)).as(third.output()).isZero();
        assertThat(lost.exec("cat /root/before /root/after").stdout()).isEqualTo("before\nafter\n");
    }
}
