package dev.provision.it.testkit;

import dev.provision.tasks.apt.Apt;
import dev.provision.tasks.files.Files;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.provision.testkit.ProvisionAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The kit's hosts of every suite it offers converge a playbook that installs a package and writes a file. */
class SuitesIT {

    @TestHost
    private static final DebianHost trixie = DebianHost.trixie();
    @TestHost
    private static final DebianHost bookworm = DebianHost.bookworm();

    @ParameterizedTest
    @ValueSource(strings = {"trixie", "bookworm"})
    void aPlaybookConvergesOnTheSuite(String suite) {
        DebianHost host = suite.equals("trixie") ? trixie : bookworm;
        assertThat(host.exec(". /etc/os-release && echo $VERSION_CODENAME").stdout().strip()).isEqualTo(suite);

        Converge.inline(p -> {
            p.step("the motd", Files.file("/etc/motd").content("provisioned on " + suite + "\n").mode("0644"));
            p.step("a package", Apt.present("less"));
        }).drift("rm /etc/motd").on(host);

        assertThat(host).hasFileContent("/etc/motd", "provisioned on " + suite + "\n").runsSuccessfully("less --version");
    }
}
