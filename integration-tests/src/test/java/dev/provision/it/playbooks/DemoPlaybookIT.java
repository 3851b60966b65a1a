package dev.provision.it.playbooks;

import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.Status;
import dev.provision.playbooks.demo.DemoPlaybook;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import dev.provision.testkit.ConvergenceCycle;
import dev.provision.testkit.HostRuns;
import org.junit.jupiter.api.Test;

import static dev.provision.testkit.ProvisionAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The foundation's promise, end to end over SSH: a package, a directory, a file and a service converge. */
class DemoPlaybookIT {

    @TestHost
    private static final DebianHost debian = DebianHost.bookworm();

    @Test
    void convergesOverSshAndCorrectsDriftMadeByHand() {
        ConvergenceCycle cycle = Converge.playbook(DemoPlaybook::new).cycle(debian).converges();

        assertThat(debian).runsSuccessfully("systemctl is-enabled nginx").hasActiveUnit("nginx").listensOn(8080)
                .answersHttp("http://localhost:8080/", 200, "Provisioned by provision");

        cycle.correctsDrift("echo tampered > /srv/demo/index.html")
                .correctsDrift("chmod 0600 /srv/demo/index.html")
                .correctsDrift("systemctl stop nginx");
        assertThat(debian.exec("systemctl is-active nginx").exitCode()).isZero();
    }

    @Test
    void checkModeOnADriftedHostNamesTheDriftAndLeavesItThere() {
        HostRuns host = HostRuns.on(debian);
        host.apply(new DemoPlaybook());
        debian.exec("rm -rf /srv/demo").requireSuccess();

        HostReport check = host.check(new DemoPlaybook());

        assertThat(HostRuns.named(check, Status.CHANGED)).contains("the site has a home", "the home page says where it is");
        assertThat(debian.exec("test -e /srv/demo").exitCode()).isNotZero();
        host.apply(new DemoPlaybook());
    }
}
