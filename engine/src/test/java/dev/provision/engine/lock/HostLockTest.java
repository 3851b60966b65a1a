package dev.provision.engine.lock;

import dev.provision.task.CommandResult;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.connect.LocalConnection;
import dev.provision.engine.lock.HostLock.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The lock scripts against this machine's sh, as each run's persistent shell would run them on a host. */
class HostLockTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<Connection> shells = new ArrayList<>();

    @AfterEach
    void closeShells() {
        shells.forEach(Connection::close);
    }

    private Path lockPath() {
        return dir.resolve("provision.lock");
    }

    private HostLock lock(String controller) {
        return new HostLock(lockPath().toString(), dir.resolve("fallback.lock").toString(), controller, 4242);
    }

    private Connection shell() {
        Connection shell = LocalConnection.open(ConnectionSettings.localShell());
        shells.add(shell);
        return shell;
    }

    private static Answer attempt(Connection shell, HostLock lock, Duration wait) {
        return lock.read(shell.run(lock.attempt(wait), TIMEOUT));
    }

    private String owner() throws Exception {
        try (var files = Files.list(lockPath())) {
            return Files.readString(files.filter(f -> f.getFileName().toString().startsWith("owner-")).findFirst().orElseThrow());
        }
    }

    private void lockMadeBy(String record) throws Exception {
        Files.createDirectories(lockPath());
        Files.writeString(lockPath().resolve("owner-" + record.replaceAll(".* run=", "").strip()), record);
    }

    @Test
    void aFreeLockIsTakenWithItsOwnerRecordAndReleased() throws Exception {
        Connection shell = shell();
        HostLock lock = lock("ci-1");

        assertThat(attempt(shell, lock, Duration.ZERO)).isEqualTo(new Answer.Acquired(List.of()));

        String pid = shell.run("echo $$", TIMEOUT).stdout().strip();
        String started = Files.readString(Path.of("/proc", pid, "stat")).replaceFirst(".*\\) ", "").split(" ")[19];
        assertThat(owner()).startsWith("shell=" + pid + " start=" + started + " controller=ci-1 controller_pid=4242 since=20");
        assertThat(LockOwner.parse(owner())).hasValueSatisfying(o -> assertThat(o.describe()).matches("pid 4242 on ci-1 since \\S+Z"));
        assertThat(dir.toFile().list()).containsExactly("provision.lock");
        assertThat(Files.getPosixFilePermissions(lockPath())).as("readable by any user who finds it held")
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));

        shell.run(lock.release(), TIMEOUT);
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void aLiveHolderKeepsItAndIsNamed() {
        HostLock first = lock("ci-1");
        assertThat(attempt(shell(), first, Duration.ZERO)).isInstanceOf(Answer.Acquired.class);

        Answer second = attempt(shell(), lock("ci-2"), Duration.ZERO);

        assertThat(second).isInstanceOfSatisfying(Answer.Held.class, held -> {
            assertThat(held.path()).isEqualTo(lockPath().toString());
            assertThat(held.holder()).hasValueSatisfying(o -> assertThat(o.controller()).isEqualTo("ci-1"));
        });
    }

    @Test
    void aWaiterTakesTheLockOnceTheHolderReleasesIt() throws Exception {
        Connection holder = shell();
        HostLock first = lock("ci-1");
        attempt(holder, first, Duration.ZERO);
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            Connection waiting = shell();
            Future<Answer> waiter = background.submit(() -> attempt(waiting, lock("ci-2"), Duration.ofSeconds(10)));
            Thread.sleep(1500);
            assertThat(waiter).isNotDone();

            holder.run(first.release(), TIMEOUT);

            assertThat(waiter.get()).isInstanceOf(Answer.Acquired.class);
            assertThat(owner()).contains("controller=ci-2");
        } finally {
            background.shutdownNow();
        }
    }

    @Test
    void aWaiterGivesUpAfterItsWait() {
        attempt(shell(), lock("ci-1"), Duration.ZERO);
        long started = System.nanoTime();

        assertThat(attempt(shell(), lock("ci-2"), Duration.ofSeconds(2))).isInstanceOf(Answer.Held.class);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    @Test
    void theLockOfAShellThatDiedIsClearedAsStale() throws Exception {
        Connection doomed = shell();
        attempt(doomed, lock("ci-1"), Duration.ZERO);
        String record = owner();
        String pid = doomed.run("echo $$", TIMEOUT).stdout().strip();
        new ProcessBuilder("kill", "-9", pid).start().waitFor();

        Answer answer = attempt(shell(), lock("ci-2"), Duration.ZERO);

        assertThat(answer).isEqualTo(new Answer.Acquired(List.of(LockOwner.parse(record))));
        assertThat(owner()).contains("controller=ci-2");
        assertThat(dir.toFile().list()).containsExactly("provision.lock");
    }

    @Test
    void aReusedPidDoesNotKeepAStaleLock() throws Exception {
        Connection shell = shell();
        String livePid = shell.run("echo $$", TIMEOUT).stdout().strip();
        lockMadeBy("shell=" + livePid + " start=1 controller=old controller_pid=1 since=x run=0\n");

        assertThat(attempt(shell, lock("ci-2"), Duration.ZERO)).isInstanceOf(Answer.Acquired.class);
    }

    @Test
    void aLockItCannotReadIsLeftAlone() throws Exception {
        Files.createDirectory(lockPath());
        Files.writeString(lockPath().resolve("owner-by-hand"), "made by hand\n");

        Answer answer = attempt(shell(), lock("ci-2"), Duration.ZERO);

        assertThat(answer).isInstanceOfSatisfying(Answer.Held.class, held -> assertThat(held.holder()).isEmpty());
        assertThat(owner()).isEqualTo("made by hand\n");
    }

    @Test
    void releaseLeavesAnotherRunsLockAlone() throws Exception {
        Connection shell = shell();
        attempt(shell, lock("ci-1"), Duration.ZERO);

        shell.run(lock("ci-2").release(), TIMEOUT);

        assertThat(owner()).contains("controller=ci-1");
    }

    @Test
    void exactlyOneOfManyRacingRunsGetsTheLockEvenOverAStaleOne() throws Exception {
        List<Callable<Answer>> racers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Connection shell = shell();
            HostLock lock = lock("racer-" + i);
            racers.add(() -> attempt(shell, lock, Duration.ZERO));
        }
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        try {
            for (int round = 0; round < 5; round++) {
                lockMadeBy("shell=999999999 start= controller=dead controller_pid=1 since=x run=dead" + round + "\n");
                List<Answer> answers = new ArrayList<>();
                for (Future<Answer> answer : pool.invokeAll(racers)) {
                    answers.add(answer.get());
                }

                assertThat(answers).filteredOn(Answer.Acquired.class::isInstance).hasSize(1);
                assertThat(answers).filteredOn(Answer.Held.class::isInstance).hasSize(racers.size() - 1);
                assertThat(dir.toFile().list()).as("no temporary or stale directory is left").containsExactly("provision.lock");
                deleteLock();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHostWithoutTheLockFolderUsesTheFallback() {
        Path fallback = dir.resolve("fallback.lock");
        HostLock lock = new HostLock(dir.resolve("no/such/folder/provision.lock").toString(), fallback.toString(), "ci-1", 1);
        Connection shell = shell();

        assertThat(attempt(shell, lock, Duration.ZERO)).isInstanceOf(Answer.Acquired.class);
        assertThat(fallback).isDirectory();
        assertThat(attempt(shell(), new HostLock(dir.resolve("no/such/folder/provision.lock").toString(), fallback.toString(), "ci-2", 2),
                Duration.ZERO)).isInstanceOfSatisfying(Answer.Held.class, held -> assertThat(held.path()).isEqualTo(fallback.toString()));

        shell.run(lock.release(), TIMEOUT);
        assertThat(fallback).doesNotExist();
    }

    @Test
    void anAttemptThatCannotCreateTheLockFailsWithTheReason() {
        Answer answer = lock("ci-1").read(new CommandResult(2, "lock /run/lock/provision.lock\n",
                "mktemp: failed to create directory via template '/run/lock/provision.lock.new.XXXXXX': Permission denied\n"));

        assertThat(answer).isEqualTo(new Answer.Failed(
                "mktemp: failed to create directory via template '/run/lock/provision.lock.new.XXXXXX': Permission denied"));
    }

    private void deleteLock() throws Exception {
        try (var files = Files.list(lockPath())) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(lockPath());
    }
}
