package dev.provision.it.tasks;

import dev.provision.dsl.InlinePlaybook;
import dev.provision.dsl.Secret;
import dev.provision.tasks.command.Command;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class CommandIT {

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    @Test
    void guardedCommandsRunOnlyWhenNeeded() {
        Consumer<InlinePlaybook> playbook = p -> {
            p.step("secret", Command.run("umask 077; cat > /root/token").input(Secret.of("t0ken-value")).creates("/root/token"));
            p.step("as deploy", Command.run("id -un > marker").asUser("deploy").inDirectory("/home/deploy")
                    .unless("grep -qx deploy /home/deploy/marker"));
            p.step("cleanup", Command.run("rm /tmp/stale").removes("/tmp/stale"));
        };
        Converge.inline(playbook).cycle(host).converges()
                .correctsDrift("rm /root/token; touch /tmp/stale");
        assertThat(host.exec("cat /root/token").stdout()).isEqualTo("t0ken-value");
        assertThat(host.exec("stat -c %a /root/token").stdout().trim()).isEqualTo("600");
        assertThat(host.exec("cat /home/deploy/marker").stdout().trim()).isEqualTo("deploy");
    }
}
