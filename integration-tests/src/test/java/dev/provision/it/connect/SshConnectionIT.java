package dev.provision.it.connect;

import dev.provision.task.CommandResult;
import dev.provision.dsl.Secret;
import dev.provision.task.Shell;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionException;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.connect.Connections;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SshConnection against a real Debian sshd: authentication, host keys, sudo, and what a round trip costs. */
class SshConnectionIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    @TempDir
    Path dir;

    private static ConnectionSettings as(String user) {
        return ConnectionSettings.ssh(host.sshHost(), host.sshPort(), user).toBuilder()
                .knownHosts(List.of(host.knownHostsFile()), false)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static ConnectionSettings rootByKey() {
        return as(DebianHost.ROOT).toBuilder().identityFiles(List.of(host.privateKeyPath())).build();
    }

    @Test
    void rootLogsInWithTheTestKey() {
        long started = System.nanoTime();
        try (Connection ssh = Connections.open(rootByKey())) {
            System.out.printf("[connect] key auth, host key check and shell start: %d ms%n", (System.nanoTime() - started) / 1_000_000);

            assertThat(ssh.run("id -u", TIMEOUT)).isEqualTo(new CommandResult(0, "0\n", ""));
            assertThat(ssh.describe()).isEqualTo("root@127.0.0.1:" + host.sshPort());
        }
    }

    @Test
    void deployLogsInByPasswordAndBecomesRootWithTheSudoPassword() {
        Secret password = Secret.of(DebianHost.DEPLOY_PASSWORD);
        ConnectionSettings settings = as(DebianHost.DEPLOY_USER).toBuilder().password(password).become(true, Optional.of(password)).build();

        try (Connection ssh = Connections.open(settings)) {
            assertThat(ssh.run("id -u", TIMEOUT).stdout()).isEqualTo("0\n");
            // sudo took only the password line: the whole script reached the shell
            assertThat(ssh.run(List.of("echo $HOME", "cat", "echo $SUDO_USER"), TIMEOUT))
                    .extracting(CommandResult::stdout).containsExactly("/root\n", "", "deploy\n");
        }
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailureThatDoesNotShowThePassword() {
        Secret wrong = Secret.of("not-the-deploy-password");

        assertThatThrownBy(() -> Connections.open(as(DebianHost.DEPLOY_USER).toBuilder().password(wrong).build()))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("authentication failed for deploy@127.0.0.1")
                .hasMessageContaining("password")
                .hasMessageNotContaining(wrong.reveal());
    }

    @Test
    void anUntrustedKeyIsAnAuthenticationFailure() throws Exception {
        Path key = dir.resolve("id_ed25519");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).start();
        assertThat(keygen.waitFor()).isZero();

        assertThatThrownBy(() -> Connections.open(as(DebianHost.DEPLOY_USER).toBuilder().identityFiles(List.of(key)).build()))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("authentication failed for deploy@127.0.0.1")
                .hasMessageContaining("key " + key);
    }

    @Test
    void anUnknownHostKeyIsRefusedWithItsFingerprint() throws Exception {
        Path knownHosts = Files.createFile(dir.resolve("known_hosts"));

        assertThatThrownBy(() -> Connections.open(rootByKey().toBuilder().knownHosts(List.of(knownHosts), false).build()))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("is not known")
                .hasMessageContaining("--accept-new-host-keys")
                .hasMessageContaining("ssh-keyscan -p " + host.sshPort() + " 127.0.0.1")
                .satisfies(e -> assertThat(hostKeyFingerprints()).anyMatch(e.getMessage()::contains));
        assertThat(Files.readString(knownHosts)).isEmpty();
    }

    @Test
    void aNewHostKeyIsAddedWhenAccepted() throws Exception {
        Path knownHosts = dir.resolve("ssh/known_hosts");

        try (Connection ssh = Connections.open(rootByKey().toBuilder().knownHosts(List.of(knownHosts), true).build())) {
            assertThat(ssh.run("id -u", TIMEOUT).stdout()).isEqualTo("0\n");
        }

        String line = Files.readString(knownHosts).strip();
        assertThat(line).startsWith("[127.0.0.1]:" + host.sshPort() + " ssh-");
        assertThat(hostPublicKeys()).contains(line.split(" ")[2]);
        try (Connection again = Connections.open(rootByKey().toBuilder().knownHosts(List.of(knownHosts), false).build())) {
            assertThat(again.run("true", TIMEOUT).succeeded()).isTrue();
        }
    }

    @Test
    void aChangedHostKeyIsRefusedBeforeAnythingRuns() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + host.sshPort()
                + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMblqtrlyM2FfXPmEC5LRT1yFntjwUxxaPvpXAJDsGfB\n");
        int sessionsBefore = acceptedLogins();

        assertThatThrownBy(() -> Connections.open(rootByKey().toBuilder().knownHosts(List.of(knownHosts), true).build()))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("host key for [127.0.0.1]:" + host.sshPort() + " has CHANGED")
                .hasMessageContaining(knownHosts + " line 1")
                .hasMessageContaining("SHA256:TGeGirCIm2YSEc9ctTb18FGiQEfKQcy22nSlfQ1hVls")
                .satisfies(e -> assertThat(hostKeyFingerprints()).anyMatch(e.getMessage()::contains));
        assertThat(acceptedLogins()).isEqualTo(sessionsBefore);
    }

    @Test
    void sudoRefusesAUserWithoutSudoRights() {
        Secret password = Secret.of(DebianHost.NOPRIV_PASSWORD);
        ConnectionSettings nopriv = as(DebianHost.NOPRIV_USER).toBuilder().password(password).build();

        assertThatThrownBy(() -> Connections.open(nopriv.toBuilder().become(true, Optional.empty()).build()))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("sudo refused for nopriv@127.0.0.1: sudo: a password is required");
        assertThatThrownBy(() -> Connections.open(nopriv.toBuilder().become(true, Optional.of(password)).build()))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("sudo refused for nopriv@127.0.0.1")
                .hasMessageContaining("not in the sudoers file");
    }

    @Test
    void sudoRefusesAWrongBecomePassword() {
        ConnectionSettings deploy = as(DebianHost.DEPLOY_USER).toBuilder().password(Secret.of(DebianHost.DEPLOY_PASSWORD)).build();
        Secret wrong = Secret.of("not-the-sudo-password");

        assertThatThrownBy(() -> Connections.open(deploy.toBuilder().become(true, Optional.of(wrong)).build()))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("sudo refused for deploy@127.0.0.1")
                .hasMessageContaining("the become password is wrong")
                .hasMessageNotContaining(wrong.reveal());
    }

    @Test
    void largeOutputAndPayloadsCrossTheChannelIntact() throws Exception {
        byte[] payload = new byte[2_000_000];
        new Random(7).nextBytes(payload);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));

        try (Connection ssh = Connections.open(rootByKey())) {
            List<CommandResult> results = ssh.run(List.of(
                    Shell.pipe(payload, "sha256sum"),
                    "head -c 5000000 /dev/zero | tr '\\000' x"), TIMEOUT);

            assertThat(results.get(0).stdout()).startsWith(sha256);
            assertThat(results.get(1).stdout()).hasSize(5_000_000);
        }
    }

    @Test
    void aTimeoutClosesTheConnectionAtOnceAndTheShellCleansUpWhenTheCommandEnds() {
        Connection ssh = Connections.open(rootByKey());
        String tempDir = ssh.run("echo $__provision_d", TIMEOUT).stdout().strip();
        long started = System.nanoTime();

        assertThatThrownBy(() -> ssh.run("sleep 5", Duration.ofSeconds(1)))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("command timed out after 1s on root@127.0.0.1:" + host.sshPort() + ": sleep 5")
                .hasMessageContaining("may still be running on the host");
        ssh.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        try (Connection other = Connections.open(rootByKey())) {
            String waitForCleanup = "i=0; while test -e " + tempDir + " && test $i -lt 30; do sleep 1; i=$((i+1)); done; test ! -e " + tempDir;
            assertThat(other.run(waitForCleanup, TIMEOUT).succeeded()).isTrue();
        }
    }

    @Test
    void batchingCommandsSavesRoundTrips() {
        List<String> commands = IntStream.range(0, 50).mapToObj(i -> "echo " + i).toList();
        try (Connection ssh = Connections.open(rootByKey())) {
            ssh.run(commands, TIMEOUT); // warm up both ends

            long started = System.nanoTime();
            List<CommandResult> batched = ssh.run(commands, TIMEOUT);
            long batchedNanos = System.nanoTime() - started;
            int tripsBefore = ssh.roundTrips();
            started = System.nanoTime();
            List<CommandResult> single = commands.stream().map(command -> ssh.run(command, TIMEOUT)).toList();
            long singleNanos = System.nanoTime() - started;

            System.out.printf("[round trips] 50 commands in one run(): %d ms; in 50 run() calls: %d ms%n",
                    batchedNanos / 1_000_000, singleNanos / 1_000_000);
            assertThat(ssh.roundTrips() - tripsBefore).isEqualTo(50);
            assertThat(batched).isEqualTo(single);
        }
    }

    /** sshd's log of successful logins, to prove a refused connection never got that far. */
    private static int acceptedLogins() {
        String log = host.exec("journalctl -u ssh --no-pager -o cat | grep -c '^Accepted' || true").stdout().strip();
        return Integer.parseInt(log);
    }

    private static List<String> hostKeyFingerprints() {
        return host.exec("for k in /etc/ssh/ssh_host_*_key.pub; do ssh-keygen -lf $k; done").requireSuccess()
                .stdout().lines().map(line -> line.split(" ")[1]).toList();
    }

    private static List<String> hostPublicKeys() {
        return host.exec("cat /etc/ssh/ssh_host_*_key.pub").requireSuccess()
                .stdout().lines().map(line -> line.split(" ")[1]).toList();
    }
}
