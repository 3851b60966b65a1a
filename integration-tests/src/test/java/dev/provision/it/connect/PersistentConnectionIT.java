package dev.provision.it.connect;

import dev.provision.dsl.Secret;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionException;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.connect.Connections;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --persist}: runs that reuse one SSH connection through the connection keeper, against a real
 * sshd. Reuse is read from the host: {@code $SSH_CONNECTION} names the client's port, so two shells
 * on one connection show the same port; {@code $$} tells their shells apart.
 */
class PersistentConnectionIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PERSIST = Duration.ofSeconds(20);

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();
    private Path keeperDir;

    @BeforeEach
    void ownKeeper() throws Exception {
        keeperDir = Files.createTempDirectory("keeper", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        System.setProperty("provision.keeperDir", keeperDir.toString());
    }

    @AfterEach
    void stopKeeper() {
        keepers().forEach(ProcessHandle::destroyForcibly);
        System.clearProperty("provision.keeperDir");
    }

    private static ConnectionSettings rootByKey(Duration persist) {
        return ConnectionSettings.ssh(host.sshHost(), host.sshPort(), DebianHost.ROOT).toBuilder()
                .identityFiles(List.of(host.privateKeyPath()))
                .knownHosts(List.of(host.knownHostsFile()), false)
                .connectTimeout(Duration.ofSeconds(10))
                .persist(persist)
                .build();
    }

    /** The client's side of the SSH connection ("ip port") and the shell's pid. */
    private static List<String> connectionAndShell(ConnectionSettings settings) {
        try (Connection ssh = Connections.open(settings)) {
            String[] words = ssh.run("echo $SSH_CONNECTION $$", TIMEOUT).stdout().strip().split(" ");
            return List.of(words[0] + " " + words[1], words[4]);
        }
    }

    @Test
    void aSecondRunReusesTheConnectionWithAFreshShell() {
        List<String> first = connectionAndShell(rootByKey(PERSIST));
        List<String> second = connectionAndShell(rootByKey(PERSIST));

        assertThat(second.get(0)).isEqualTo(first.get(0));
        assertThat(second.get(1)).isNotEqualTo(first.get(1));
        assertThat(keepers()).hasSize(1);
    }

    @Test
    void withoutPersistEveryRunConnects() {
        List<String> first = connectionAndShell(rootByKey(Duration.ZERO));
        List<String> second = connectionAndShell(rootByKey(Duration.ZERO));

        assertThat(second.get(0)).isNotEqualTo(first.get(0));
        assertThat(keepers()).isEmpty();
    }

    @Test
    void outputOfAnySizeAndExitCodesPassThroughTheKeeper() {
        try (Connection ssh = Connections.open(rootByKey(PERSIST))) {
            var results = ssh.run(List.of("head -c 3000000 /dev/zero | tr '\\0' x", "echo oops >&2; exit 3"), TIMEOUT);

            assertThat(results.get(0).stdout()).hasSize(3_000_000).matches("x+");
            assertThat(results.get(1).exitCode()).isEqualTo(3);
            assertThat(results.get(1).stderr()).isEqualTo("oops\n");
        }
    }

    @Test
    void aHungCommandDropsTheKeptConnectionAsARunOfItsOwnWould() throws Exception {
        String before = connectionAndShell(rootByKey(PERSIST)).get(0);
        try (Connection ssh = Connections.open(rootByKey(PERSIST))) {
            assertThatThrownBy(() -> ssh.run("sleep 120", Duration.ofSeconds(2)))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("timed out");
        }
        awaitLog("dropping the connection");

        assertThat(connectionAndShell(rootByKey(PERSIST)).get(0)).isNotEqualTo(before);
    }

    @Test
    void aKeptConnectionThatBrokeIsOpenedAgain() {
        String before = connectionAndShell(rootByKey(PERSIST)).get(0);
        host.exec("pkill -KILL -f '^sshd: root'"); // the connection's own sshd processes, not the listener

        assertThat(connectionAndShell(rootByKey(PERSIST)).get(0)).isNotEqualTo(before);
    }

    @Test
    void refusalsReachTheRunWithoutTheSecret() throws Exception {
        Secret wrong = Secret.of("not-the-deploy-password-" + System.nanoTime());
        ConnectionSettings deploy = ConnectionSettings.ssh(host.sshHost(), host.sshPort(), DebianHost.DEPLOY_USER).toBuilder()
                .knownHosts(List.of(host.knownHostsFile()), false).persist(PERSIST)
                .build();

        assertThatThrownBy(() -> Connections.open(deploy.toBuilder().password(wrong).build()))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("authentication failed for deploy@127.0.0.1")
                .hasMessageNotContaining(wrong.reveal());
        assertThat(Files.readString(keeperDir.resolve("keeper.log"))).doesNotContain(wrong.reveal());

        Secret password = Secret.of(DebianHost.DEPLOY_PASSWORD);
        try (Connection ssh = Connections.open(deploy.toBuilder().password(password).become(true, Optional.of(password)).build())) {
            assertThat(ssh.run("id -u; echo $SUDO_USER", TIMEOUT).stdout()).isEqualTo("0\ndeploy\n");
        }
    }

    @Test
    void aKilledKeeperIsReplacedByTheNextRun() {
        String before = connectionAndShell(rootByKey(PERSIST)).get(0);
        keepers().forEach(keeper -> { keeper.destroyForcibly(); keeper.onExit().join(); });

        assertThat(connectionAndShell(rootByKey(PERSIST)).get(0)).isNotEqualTo(before);
        assertThat(keepers()).hasSize(1);
    }

    @Test
    void theKeeperExitsOnceUnusedForItsTime() throws Exception {
        connectionAndShell(rootByKey(Duration.ofSeconds(1)));
        assertThat(keepers()).hasSize(1);

        awaitLog("unused for 1 s");
        for (ProcessHandle keeper : keepers()) {
            keeper.onExit().get(10, TimeUnit.SECONDS);
        }
        assertThat(keepers()).isEmpty();
        assertThat(keeperDir.resolve("keeper-1.sock")).doesNotExist();
    }

    private void awaitLog(String line) throws Exception {
        Path log = keeperDir.resolve("keeper.log");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!Files.readString(log).contains(line) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(log)).contains(line);
    }

    /** The keeper processes serving this test's folder (from /proc: ProcessHandle truncates long command lines). */
    private List<ProcessHandle> keepers() {
        return ProcessHandle.allProcesses()
                .filter(p -> commandLine(p).contains("ConnectionKeeper " + keeperDir + " "))
                .toList();
    }

    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (Exception e) {
            return ""; // gone meanwhile
        }
    }
}
