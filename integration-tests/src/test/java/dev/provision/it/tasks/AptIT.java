package dev.provision.it.tasks;

import dev.provision.dsl.InlinePlaybook;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.Status;
import dev.provision.tasks.apt.Apt;
import dev.provision.tasks.apt.AptRepository;
import dev.provision.tasks.apt.Debconf;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import dev.provision.testkit.HostRuns;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class AptIT {

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    /** Debian's own backports, signed by its archive key given as bytes: a stand-in for a third-party repository. */
    private static AptRepository backports() {
        String key = host.exec("base64 -w0 /usr/share/keyrings/debian-archive-bookworm-automatic.gpg").requireSuccess().stdout().trim();
        return Apt.repository("backports").uri("http://deb.debian.org/debian").suite("bookworm-backports")
                .components("main").signedBy(Base64.getDecoder().decode(key));
    }

    @Test
    void packagesRepositoriesAndPreseedsConverge() {
        AptRepository backports = backports();
        Consumer<InlinePlaybook> playbook = p -> {
            p.step("backports", backports);
            p.step("answers", Debconf.preseed("tzdata").select("tzdata/Areas", "Europe").select("tzdata/Zones/Europe", "Berlin"));
            p.step("tools", Apt.present("jq", "tzdata").from(backports));
            p.step("no nano", Apt.purged("nano"));
        };
        Converge.inline(playbook).cycle(host).converges()
                .correctsDrift("DEBIAN_FRONTEND=noninteractive apt-get remove -y -q jq")
                .correctsDrift("DEBIAN_FRONTEND=noninteractive apt-get install -y -q nano")
                .correctsDrift("echo 'tzdata tzdata/Zones/Europe select Paris' | debconf-set-selections")
                .correctsDrift("echo '# by hand' >> /etc/apt/sources.list.d/backports.sources");
        assertThat(host.exec("test -s /etc/apt/keyrings/backports.gpg && grep -c bookworm-backports /var/lib/apt/lists/*_InRelease")
                .succeeded()).isTrue();
        assertThat(host.exec("dpkg-query -W -f='${Status}' nano").stdout()).doesNotContain("ok installed");
    }

    @Test
    void anUnknownPackageFailsThePlanBeforeAnythingRuns() {
        HostReport report = HostRuns.on(host).apply(p -> p.step("typo", Apt.present("jqq")));
        assertThat(report.results()).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(Status.FAILED);
            assertThat(result.message()).hasValueSatisfying(m -> assertThat(m)
                    .contains("package jqq is not known to apt on").contains("check the name or add its repository"));
        });
    }
}
