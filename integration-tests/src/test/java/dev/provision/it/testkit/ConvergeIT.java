package dev.provision.it.testkit;

import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.dsl.Verifiable;
import dev.provision.dsl.Verify;
import dev.provision.tasks.command.Command;
import dev.provision.tasks.files.Files;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a user of the test kit sees: a playbook that converges passes; one that does not fails naming the task at fault. */
class ConvergeIT {

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    /** A file from a variable, with its own checks. */
    public static final class Greeting extends Playbook implements Verifiable {
        @Override
        protected void define(Host host) {
            step("the greeting", Files.file("/etc/greeting").content(host.var("greeting") + "\n").mode("0640"));
        }

        @Override
        public void verify(Host host, Verify verify) {
            verify.fileContent("/etc/greeting", host.var("greeting") + "\n").fileMode("/etc/greeting", host.var("expected_mode"));
        }
    }

    @Test
    void aConvergingPlaybookPassesTheCycleWithItsDriftsAndChecks() {
        assertThatCode(() -> Converge.playbook(Greeting::new).vars(Map.of("greeting", "hi", "expected_mode", "0640"))
                .drift("echo tampered > /etc/greeting")
                .drift(debian -> debian.exec("chmod 0666 /etc/greeting").requireSuccess())
                .on(host)).doesNotThrowAnyException();
    }

    @Test
    void aTaskThatChangesOnEveryRunIsNamedWithWhatItChanged() {
        assertThatThrownBy(() -> Converge.inline(p -> p.step("the stamp", Command.run("date +%s%N > /etc/stamp"))).on(host))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[the inline playbook on " + host.hostname() + "]")
                .hasMessageContaining("Expecting the second apply to change nothing, but 1 task(s) changed:")
                .hasMessageContaining("changed \"the stamp\" (")
                .hasMessageContaining("is not idempotent");
    }

    @Test
    void aFailingCheckOfTheConvergedHostIsReportedWithWhatWasFound() {
        assertThatThrownBy(() -> Converge.playbook(Greeting::new).vars(Map.of("greeting", "hello", "expected_mode", "0600")).on(host))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the converged host to pass the playbook's verify, but 1 check(s) failed:")
                .hasMessageContaining("file /etc/greeting has mode 0600")
                .hasMessageContaining("to have mode:\n      0600\n    but it has:\n      0640");
    }
}
