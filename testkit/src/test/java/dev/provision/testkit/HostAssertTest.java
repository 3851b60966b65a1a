package dev.provision.testkit;

import dev.provision.task.CommandResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.provision.testkit.ProvisionAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The host checks against a host that answers from a table, command by command. */
class HostAssertTest {

    private final List<String> commands = new ArrayList<>();

    private HostShell answering(Map<String, CommandResult> answers) {
        return new HostShell("web1", command -> {
            commands.add(command);
            return answers.entrySet().stream().filter(answer -> command.startsWith(answer.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(new CommandResult(127, "", "sh: not expected: " + command));
        });
    }

    private static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "");
    }

    @Test
    void anInactiveUnitIsShownWithItsStatus() {
        HostShell host = answering(Map.of("systemctl is-active 'nginx'", new CommandResult(3, "failed\n", ""),
                "systemctl status 'nginx'", ok("× nginx.service - A high performance web server\n     Active: failed\n")));

        assertThatThrownBy(() -> assertThat(host).hasActiveUnit("nginx")).isInstanceOf(AssertionError.class)
                .hasMessage(("%nExpecting unit:%n  \"nginx\"%non host web1 to be active, but it is:%n  \"failed\"%n"
                        + "  × nginx.service - A high performance web server%n       Active: failed").formatted());
    }

    @Test
    void anActiveUnitPasses() {
        assertThatCode(() -> assertThat(answering(Map.of("systemctl is-active", ok("active\n")))).hasActiveUnit("ssh"))
                .doesNotThrowAnyException();
    }

    @Test
    void listeningPortsComeFromTheKernelsTableInHex() {
        HostShell host = answering(Map.of("awk", ok("0016\n0050\n0016\n")));

        assertThatCode(() -> assertThat(host).listensOn(80).listensOn(22)).doesNotThrowAnyException();
        assertThatThrownBy(() -> assertThat(host).listensOn(443))
                .hasMessage("%nExpecting host web1 to listen on TCP port:%n  443%nbut it listens on:%n  [22, 80]".formatted());
    }

    @Test
    void aFileWithOtherContentShowsBothAndTheDiff() {
        HostShell host = answering(Map.of("cat -- '/etc/motd'", ok("hello\nold\n")));

        assertThatThrownBy(() -> assertThat(host).hasFileContent("/etc/motd", "hello\nnew\n"))
                .hasMessageContaining("Expecting file:%n  /etc/motd%non host web1 to have content:".formatted())
                .hasMessageContaining("-old")
                .hasMessageContaining("+new");
    }

    @Test
    void modesCompareAsOctalNumbers() {
        HostShell host = answering(Map.of("stat -c %a -- '/srv/app'", ok("750\n")));

        assertThatCode(() -> assertThat(host).hasFileMode("/srv/app", "0750")).doesNotThrowAnyException();
        assertThatThrownBy(() -> assertThat(host).hasFileMode("/srv/app", "0755"))
                .hasMessage("%nExpecting file:%n  /srv/app%non host web1 to have mode:%n  0755%nbut it has:%n  0750".formatted());
    }

    @Test
    void aFailingCommandShowsItsExitCodeAndOutput() {
        HostShell host = answering(Map.of("nginx -t", new CommandResult(1, "", "nginx: [emerg] unknown directive \"lisen\"\n")));

        assertThatThrownBy(() -> assertThat(host).runsSuccessfully("nginx -t"))
                .hasMessageContaining("Expecting command:%n  nginx -t%non host web1 to succeed, but it exited 1".formatted())
                .hasMessageContaining("unknown directive");
    }

    @Test
    void httpIsAskedFromTheHostWithBashAndItsAnswerIsRead() {
        HostShell host = answering(Map.of("timeout 10 bash -c", ok("HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n<h1>Hello from web1</h1>\n")));

        assertThatCode(() -> assertThat(host).answersHttp("http://localhost/", 200, "Hello from web1")).doesNotThrowAnyException();
        org.assertj.core.api.Assertions.assertThat(commands).singleElement().asString()
                .contains("/dev/tcp/'\\''localhost'\\''/80").contains("GET / HTTP/1.0");
        assertThatThrownBy(() -> assertThat(host).answersHttp("http://localhost:80/?q=1", 200, "Goodbye"))
                .hasMessageContaining("to answer:%n  200 with a body containing \"Goodbye\"%nbut it answered:%n  200 with the body:".formatted());
    }

    @Test
    void noAnswerSaysWhy() {
        HostShell host = answering(Map.of("timeout 10 bash -c", new CommandResult(1, "", "bash: connect: Connection refused\n")));

        assertThatThrownBy(() -> assertThat(host).answersHttp("http://localhost:8080/", 200, ""))
                .hasMessageContaining("to answer 200, but no answer (exit 1): bash: connect: Connection refused");
    }

    @Test
    void verifyRecordsEveryCheckAndGoesOnAfterAFailure() {
        HostShell host = answering(Map.of("systemctl is-active", ok("inactive\n"), "systemctl status", ok(""), "awk", ok("0050\n")));
        List<Check> told = new ArrayList<>();
        HostVerify verify = new HostVerify(host, told::add);

        verify.unitActive("nginx").listens(80);

        org.assertj.core.api.Assertions.assertThat(told).extracting(Check::description, Check::passed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("unit nginx is active", false),
                        org.assertj.core.groups.Tuple.tuple("TCP port 80 listens", true));
        org.assertj.core.api.Assertions.assertThat(verify.failures()).singleElement()
                .satisfies(check -> org.assertj.core.api.Assertions.assertThat(check.failure()).hasValueSatisfying(
                        message -> org.assertj.core.api.Assertions.assertThat(message).contains("to be active, but it is:")));
    }
}
