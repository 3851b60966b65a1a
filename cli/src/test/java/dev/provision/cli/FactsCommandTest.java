package dev.provision.cli;

import dev.provision.task.CommandResult;
import dev.provision.engine.connect.Batch;
import dev.provision.engine.connect.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FactsCommandTest {

    @TempDir
    Path dir;

    /** Answers the facts' commands as a Debian host would; counts round trips. */
    private static final class DebianAnswers implements Connection {

        private static final Map<String, String> ANSWERS = Map.of(
                "os-release", "Debian GNU/Linux 12 (bookworm)\n",
                "uname -sr", "Linux 6.1.0-28-amd64\n",
                "uname -n", "box-secret-7\n",
                "uname -m", "x86_64\n",
                "MemTotal", "8127184\n",
                "systemctl is-system-running", "degraded\n",
                "dpkg-query", "312 (dpkg)\n");
        int roundTrips;

        @Override
        public List<CommandResult> send(Batch batch) {
            List<String> commands = batch.commands();
            roundTrips++;
            return commands.stream().map(command -> new CommandResult(0, ANSWERS.entrySet().stream()
                    .filter(answer -> command.contains(answer.getKey())).map(Map.Entry::getValue).findFirst().orElseThrow(), "")).toList();
        }

        @Override
        public int roundTrips() {
            return roundTrips;
        }

        @Override
        public String describe() {
            return "debian";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void showsTheFactsOfEachHostFromOneRoundTripWithSecretsMasked() throws IOException {
        DebianAnswers debian = new DebianAnswers();
        TestCli cli = new TestCli(address -> address.equals("10.0.0.1") ? debian : null, dir);
        String inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                all:
                  user: root
                  vars: { api_token: box-secret-7 }
                  hosts:
                    web1: { address: 10.0.0.1 }
                    gone: { address: 10.0.0.9 }
                """).toString();

        assertThat(cli.run("facts", "-i", inventory, "all")).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(cli.out()).isEqualTo("""
                web1  root@10.0.0.1:22
                  os            Debian GNU/Linux 12 (bookworm)
                  kernel        Linux 6.1.0-28-amd64
                  hostname      ********
                  architecture  x86_64
                  memory        7.8 GiB
                  systemd       yes (degraded)
                  packages      312 (dpkg)
                gone  root@10.0.0.9:22
                  unreachable: connection refused by root@10.0.0.9:22
                """);
        assertThat(debian.roundTrips).isEqualTo(1);

        assertThat(cli.run("facts", "-i", inventory, "web1")).isEqualTo(ExitCodes.OK);
    }
}
