package dev.provision.it.playbooks;

import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.Status;
import dev.provision.it.support.Converge;
import dev.provision.it.support.ConvergenceCycle;
import dev.provision.playbooks.demo.DemoPlaybook;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The foundation's promise, end to end over SSH: a package, a directory, a file and a service converge. */
class DemoPlaybookIT {

    @TestHost
    private static final DebianHost debian = DebianHost.bookworm();

    @Test
    void convergesOverSshAndCorrectsDriftMadeByHand() {
        ConvergenceCycle cycle = ConvergenceCycle.of(debian, DemoPlaybook::new).converges();

        assertThat(debian.exec("systemctl is-enabled nginx && systemctl is-active nginx").exitCode()).isZero();
        assertThat(debian.exec("curl -s localhost:8080 || wget -qO- localhost:8080 || cat /srv/demo/index.html").stdout())
                .contains("Provisioned by provision");

        cycle.correctsDrift("echo tampered > /srv/demo/index.html")
                .correctsDrift("chmod 0600 /srv/demo/index.html")
                .correctsDrift("systemctl stop nginx");
        assertThat(debian.exec("systemctl is-active nginx").exitCode()).isZero();
    }

    @Test
    void checkModeOnADriftedHostNamesTheDriftAndLeavesItThere() {
        Converge host = Converge.on(debian);
        host.apply(new DemoPlaybook());
        debian.exec("rm -rf /srv/demo").requireSuccess();

        HostReport check = host.check(new DemoPlaybook());

        assertThat(Converge.named(check, Status.CHANGED)).contains("the site has a home", "the home page says where it is");
        assertThat(debian.exec("test -e /srv/demo").exitCode()).isNotZero();
        host.apply(new DemoPlaybook());
    }
}
