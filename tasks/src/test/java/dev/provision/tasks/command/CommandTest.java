package dev.provision.tasks.command;

import dev.provision.task.Plan;
import dev.provision.task.Shell;
import dev.provision.dsl.Secret;
import dev.provision.tasks.support.StubFacts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandTest {

    private static Plan plan(Command command, int... guardExitCodes) {
        StubFacts facts = new StubFacts();
        for (int i = 0; i < guardExitCodes.length; i++) {
            facts.answer(command.facts().get(i), guardExitCodes[i], "");
        }
        return command.plan(facts);
    }

    @Test
    void withoutGuardsItRunsEveryTime() {
        Plan plan = plan(Command.run("update-ca-certificates"));
        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.summary()).isEqualTo("run update-ca-certificates");
            assertThat(c.script()).isEqualTo("update-ca-certificates\n");
        });
    }

    @Test
    void createsSkipsWhenThePathExists() {
        Command command = Command.run("make-keys").creates("/etc/keys/a b");
        assertThat(command.facts().get(0).command()).isEqualTo("test -e '/etc/keys/a b'");
        assertThat(plan(command, 0).isEmpty()).isTrue();
        assertThat(plan(command, 1).changes()).hasSize(1);
    }

    @Test
    void removesRunsOnlyWhileThePathExists() {
        Command command = Command.run("rm-old").removes("/etc/old");
        assertThat(plan(command, 1).isEmpty()).isTrue();
        assertThat(plan(command, 0).changes()).hasSize(1);
    }

    @Test
    void unlessAndOnlyIfMustAllAgree() {
        Command command = Command.run("migrate").unless("test -f /done").onlyIf("systemctl is-active --quiet postgresql");
        assertThat(plan(command, 1, 0).changes()).hasSize(1);
        assertThat(plan(command, 0, 0).isEmpty()).isTrue();
        assertThat(plan(command, 1, 3).isEmpty()).isTrue();
    }

    @Test
    void aSecretOnStdinReachesTheWholeCommand() {
        String script = plan(Command.run("umask 077; cat > /root/token").input(Secret.of("t0ken"))).changes().get(0).script();
        assertThat(script).startsWith("base64 -d <<'PROVISION_PAYLOAD_END' | sh -c 'umask 077; cat > /root/token'\n");
    }

    @Test
    void runsAsAUserInADirectoryWithASecretOnStdin() {
        Secret password = Secret.of("correct horse battery");
        Plan plan = plan(Command.run("register_new_matrix_user -c homeserver.yaml --password-file /dev/stdin")
                .asUser("matrix-synapse").inDirectory("/etc/matrix-synapse").input(password));
        String script = plan.changes().get(0).script();
        assertThat(script).startsWith("cd /etc/matrix-synapse || exit 1\nbase64 -d <<'PROVISION_PAYLOAD_END' | runuser -u matrix-synapse -- sh -c ");
        assertThat(script).doesNotContain("correct horse battery");
        assertThat(Shell.withoutPayloads(script)).contains("<payload hidden>");
    }
}
