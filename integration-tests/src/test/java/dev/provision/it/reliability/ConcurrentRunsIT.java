package dev.provision.it.reliability;

import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Two provision processes on one host: the host lock keeps their runs apart, and a dead run's lock does not block the next. */
class ConcurrentRunsIT {

    private static final String LOCK = "/run/lock/provision.lock";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    @TempDir
    Path dir;

    private Path inventory(String run, String work) {
        return TestInventory.create().host("box", host, MarkedRun.class.getName(), Map.of("run", run, "work", work))
                .writeTo(dir.resolve("inventory-" + run + ".yaml"));
    }

    private Controller provision(String command, String run, String work) {
        return Controller.start(dir.resolve(run + ".log"), command, "-i", inventory(run, work).toString(), "box");
    }

    private static void awaitLock() {
        String wait = "i=0; until test -d " + LOCK + " || test $i -gt 300; do sleep 0.1; i=$((i+1)); done; test -d " + LOCK;
        host.exec(wait).requireSuccess();
    }

    private static void awaitOutput(Controller controller, String text) throws InterruptedException {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (!controller.output().contains(text)) {
            assertThat(System.nanoTime()).as("waiting for '" + text + "' in:\n" + controller.output()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String controller() throws Exception {
        return InetAddress.getLocalHost().getHostName();
    }

    @Test
    void runsStartedTogetherWaitForEachOtherAndNeverInterleave() throws Exception {
        host.exec("rm -f " + MarkedRun.MARKERS + " /root/go").requireSuccess();
        Controller first = provision("apply", "A", "until test -e /root/go; do sleep 0.2; done");
        awaitLock();
        Controller second = provision("apply", "B", "sleep 1");
        Controller check = provision("plan", "C", "sleep 1");
        String waiting = "waiting for the lock on box held by pid " + first.pid() + " on " + controller() + " since ";
        awaitOutput(second, waiting);
        awaitOutput(check, waiting);
        Controller impatient = Controller.start(dir.resolve("E.log"), "apply", "--lock-wait", "0",
                "-i", inventory("E", "true").toString(), "box");
        assertThat(impatient.await(RUN_TIMEOUT)).as(impatient.output()).isEqualTo(1);
        assertThat(impatient.output()).as("--lock-wait 0 refuses at once")
                .contains("the lock on box is held by pid " + first.pid() + " on " + controller()).contains("(waited 0 s)");
        host.exec("touch /root/go").requireSuccess();

        assertThat(first.await(RUN_TIMEOUT)).as(first.output()).isZero();
        assertThat(second.await(RUN_TIMEOUT)).as(second.output()).isZero();
        assertThat(check.await(RUN_TIMEOUT)).as(check.output()).as("check mode waits for the lock too").isZero();
        assertThat(host.exec("cat " + MarkedRun.MARKERS).stdout().lines().toList())
                .containsExactly("start A", "end A", "start B", "end B");
        assertThat(host.exec("test -e " + LOCK).succeeded()).as("released").isFalse();
    }

    @Test
    void theLockOfARunWhoseShellWasKilledIsClearedByTheNextRun() throws Exception {
        host.exec("rm -f " + MarkedRun.MARKERS).requireSuccess();
        Controller doomed = provision("apply", "D", "sleep 60");
        awaitLock();
        String owner = host.exec("cat " + LOCK + "/owner-*").requireSuccess().stdout();
        String shell = owner.replaceAll("^shell=(\\d+) .*\\s*$", "$1");
        host.exec("kill -9 " + shell).requireSuccess();

        assertThat(doomed.await(RUN_TIMEOUT)).isEqualTo(1);
        assertThat(doomed.output()).contains("failed   work", "ended before answering");
        assertThat(host.exec("cat " + LOCK + "/owner-*").stdout()).as("left behind, stale").isEqualTo(owner);

        Controller next = provision("apply", "E", "true");

        assertThat(next.await(RUN_TIMEOUT)).as(next.output()).isZero();
        assertThat(next.output()).contains("cleared a stale lock on box left by pid " + doomed.pid() + " on " + controller()
                + " since ", ": its shell is gone");
        assertThat(host.exec("cat " + MarkedRun.MARKERS).stdout().lines().toList()).isEqualTo(List.of("start D", "start E", "end E"));
        assertThat(host.exec("test -e " + LOCK).succeeded()).isFalse();
    }
}
