package dev.provision.it;

import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test harness itself: a bookworm container boots systemd, runs sshd and lets root in with the test key. */
class DebianHostIT {
    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    @Test
    void systemdIsPid1AndBooted() {
        assertThat(host.exec("systemctl is-system-running").stdout().trim()).isIn("running", "degraded");
        assertThat(host.exec("cat /proc/1/comm").requireSuccess().stdout().trim()).isEqualTo("systemd");
        assertThat(host.exec("systemctl is-active ssh").stdout().trim()).isEqualTo("active");
    }

    @Test
    void imageContract() {
        assertThat(host.exec("command -v python3").exitCode()).as("no python3 on the target").isNotEqualTo(0);
        assertThat(host.exec("id -nG deploy").requireSuccess().stdout()).contains("sudo");
        assertThat(host.exec("id -nG nopriv").requireSuccess().stdout()).doesNotContain("sudo");
        assertThat(host.exec("su -s /bin/sh deploy -c 'sudo -n true'").exitCode())
                .as("deploy needs a password for sudo").isNotEqualTo(0);
        assertThat(host.hostKeyLine()).startsWith("[127.0.0.1]:" + host.sshPort() + " ssh-ed25519 ");
    }

    @Test
    void rootLogsInByKeyWithVerifiedHostKey() throws IOException {
        try (SSHClient ssh = new SSHClient()) {
            ssh.addHostKeyVerifier(new OpenSSHKnownHosts(new StringReader(host.hostKeyLine() + "\n")));
            ssh.connect(host.sshHost(), host.sshPort());
            ssh.authPublickey("root", ssh.loadKeys(host.privateKeyPath().toString()));
            assertThat(run(ssh, "id -u")).isEqualTo("0");
        }
    }

    @Test
    void deployLogsInByPasswordAndSudoesWithIt() throws IOException {
        try (SSHClient ssh = new SSHClient()) {
            ssh.addHostKeyVerifier(new OpenSSHKnownHosts(new StringReader(host.hostKeyLine() + "\n")));
            ssh.connect(host.sshHost(), host.sshPort());
            ssh.authPassword(DebianHost.DEPLOY_USER, DebianHost.DEPLOY_PASSWORD);
            assertThat(run(ssh, "echo " + DebianHost.DEPLOY_PASSWORD + " | sudo -S -p '' id -u")).isEqualTo("0");
        }
    }

    @Test
    void unknownHostKeyIsRejected() {
        String otherKey = "[127.0.0.1]:" + host.sshPort()
                + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n";
        assertThatThrownBy(() -> {
            try (SSHClient ssh = new SSHClient()) {
                ssh.addHostKeyVerifier(new OpenSSHKnownHosts(new StringReader(otherKey)));
                ssh.connect(host.sshHost(), host.sshPort());
            }
        }).isInstanceOf(TransportException.class);
    }

    private static String run(SSHClient ssh, String command) throws IOException {
        try (Session session = ssh.startSession(); Session.Command cmd = session.exec(command)) {
            String out = new String(cmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            cmd.join();
            assertThat(cmd.getExitStatus()).as("exit status of `%s`", command).isEqualTo(0);
            return out.trim();
        }
    }
}
