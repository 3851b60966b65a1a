package dev.provision.engine.lock;

import dev.provision.task.CommandResult;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionChain;
import dev.provision.engine.connect.ConnectionException;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.connect.LocalConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the lock costs a run in round trips, and what a run does while another holds the host. */
class HostLockLayerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<String> notices = new CopyOnWriteArrayList<>();
    private final List<Connection> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Connection::close);
    }

    private Connection locked(String controller, Duration wait) {
        HostLock lock = new HostLock(dir.resolve("provision.lock").toString(), dir.resolve("fallback.lock").toString(), controller, 4242);
        Connection connection = lockedShell(lock, wait);
        opened.add(connection);
        return connection;
    }

    private Connection lockedShell(HostLock lock, Duration wait) {
        return ConnectionChain.of(LocalConnection.open(ConnectionSettings.localShell()),
                List.of(new HostLockLayer(lock, "web1", wait, notices::add)));
    }

    private String owner() throws Exception {
        try (var files = Files.list(dir.resolve("provision.lock"))) {
            return Files.readString(files.findFirst().orElseThrow());
        }
    }

    private boolean locked() {
        return Files.exists(dir.resolve("provision.lock"));
    }

    @Test
    void theLockRidesWithTheFirstFactBatchAndIsReleasedAtCloseWithoutARoundTripOfItsOwn() {
        Connection run = locked("ci-1", Duration.ZERO);

        List<CommandResult> facts = run.runReadOnly(List.of("echo a", "echo b"), TIMEOUT);

        assertThat(facts).extracting(CommandResult::stdout).containsExactly("a\n", "b\n");
        assertThat(run.roundTrips()).isEqualTo(1);
        assertThat(locked()).isTrue();
        run.runReadOnly(List.of("echo c"), TIMEOUT);
        run.run("echo change", TIMEOUT);
        assertThat(run.roundTrips()).isEqualTo(3);

        run.close();

        assertThat(run.roundTrips()).isEqualTo(3);
        assertThat(locked()).isFalse();
        assertThat(notices).isEmpty();
    }

    @Test
    void aChangeNeverGoesOutBeforeTheLockIsHeld() throws Exception {
        locked("ci-1", Duration.ZERO).runReadOnly(List.of("true"), TIMEOUT);
        Connection second = locked("ci-2", Duration.ZERO);
        Path marker = dir.resolve("changed");

        assertThatThrownBy(() -> second.run("touch " + marker, TIMEOUT))
                .isInstanceOf(ConnectionException.class)
                .hasMessageMatching("the lock on web1 is held by pid 4242 on ci-1 since \\S+ \\(waited 0 s\\): another provision run is"
                        + " changing this host. If that run is gone, remove " + dir.resolve("provision.lock") + " on the host");
        assertThat(marker).doesNotExist();
        assertThat(notices).isEmpty();
        assertThat(owner()).contains("controller=ci-1");
    }

    @Test
    void aWaitingRunSaysWhoHoldsTheHostAndGathersItsFactsAgainOnceItHasTheLock() throws Exception {
        Connection first = locked("ci-1", Duration.ZERO);
        first.runReadOnly(List.of("true"), TIMEOUT);
        Connection second = locked("ci-2", Duration.ofSeconds(20));
        Path state = Files.writeString(dir.resolve("state"), "before");
        Thread firstFinishes = new Thread(() -> {
            sleep(1500);
            first.run("echo after > " + state, TIMEOUT);
            first.close();
        });
        firstFinishes.start();

        List<CommandResult> facts = second.runReadOnly(List.of("cat " + state), TIMEOUT);
        firstFinishes.join();

        assertThat(notices).singleElement().satisfies(notice ->
                assertThat(notice).matches("waiting for the lock on web1 held by pid 4242 on ci-1 since \\S+Z \\(up to 20 s\\)"));
        assertThat(facts).singleElement().extracting(CommandResult::stdout).isEqualTo("after\n");
        assertThat(second.roundTrips()).as("attempt with facts, wait, facts again").isEqualTo(3);
        assertThat(owner()).contains("controller=ci-2");
    }

    @Test
    void aStaleLockIsClearedAndSaid() throws Exception {
        Files.createDirectory(dir.resolve("provision.lock"));
        Files.writeString(dir.resolve("provision.lock/owner-0"),
                "shell=999999999 start= controller=gone controller_pid=77 since=2025-01-01T00:00:00Z run=0\n");

        locked("ci-1", Duration.ZERO).runReadOnly(List.of("true"), TIMEOUT);

        assertThat(notices).containsExactly("cleared a stale lock on web1 left by pid 77 on gone since 2025-01-01T00:00:00Z: its shell is gone");
    }

    @Test
    void aLockThatCannotBeTakenFailsTheRun() {
        HostLock lock = new HostLock("/proc/provision.lock", dir.resolve("fallback.lock").toString(), "ci-1", 1);
        Connection run = lockedShell(lock, Duration.ZERO);
        opened.add(run);

        assertThatThrownBy(() -> run.runReadOnly(List.of("true"), TIMEOUT))
                .isInstanceOf(ConnectionException.class)
                .hasMessageStartingWith("cannot take the lock on web1: mkdir: cannot create directory")
                .hasMessageContaining("/proc/provision.lock.new.");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
