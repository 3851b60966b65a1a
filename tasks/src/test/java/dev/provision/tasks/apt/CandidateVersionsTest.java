package dev.provision.tasks.apt;

import dev.provision.dsl.CommandResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CandidateVersionsTest {

    static final String POLICY = """
            db1
            nginx:
              Installed: (none)
              Candidate: 1.22.1-9+deb12u9
              Version table:
                 1.22.1-9+deb12u9 500
                    500 http://deb.debian.org/debian bookworm/main amd64 Packages
            bash:
              Installed: 5.2.15-2+b13
              Candidate: 5.2.15-2+b13
              Version table:
             *** 5.2.15-2+b13 500
                    500 http://deb.debian.org/debian bookworm/main amd64 Packages
                    100 /var/lib/dpkg/status
            mail-transport-agent:
              Installed: (none)
              Candidate: (none)
              Version table:
            """;

    private final CandidateVersions policy = CandidateVersions.parse(new CommandResult(0, POLICY, ""));

    @Test
    void readsCandidatesAndTheHostName() {
        assertThat(policy.hostname()).isEqualTo("db1");
        assertThat(policy.candidate("nginx")).contains("1.22.1-9+deb12u9");
        assertThat(policy.candidate("bash")).contains("5.2.15-2+b13");
    }

    @Test
    void virtualAndUnknownPackagesHaveNoCandidate() {
        assertThat(policy.candidate("mail-transport-agent")).isEmpty();
        assertThat(policy.candidate("nosuchpkg")).isEqualTo(Optional.empty());
    }

    @Test
    void asksForJustTheNamedPackagesInTheCLocale() {
        assertThat(CandidateVersions.of(List.of("nginx", "redis-server")).command())
                .isEqualTo("uname -n; LC_ALL=C apt-cache policy nginx redis-server");
    }

    @Test
    void forInstallingAptIsAskedOnlyAboutWhatDpkgLacks() {
        // this machine's dpkg: dpkg itself is installed, the other name is not known at all
        CandidateVersions missing = CandidateVersions.parse(
                dev.provision.tasks.files.LocalHost.sh(CandidateVersions.ofMissing(List.of("dpkg", "no-such-package-x")).command()));
        assertThat(missing.hostname()).isNotBlank();
        assertThat(missing.candidates()).as("apt is asked about the missing package only").isEmpty();
        CandidateVersions installed = CandidateVersions.parse(
                dev.provision.tasks.files.LocalHost.sh(CandidateVersions.ofMissing(List.of("dpkg", "coreutils")).command()));
        assertThat(installed.candidates()).as("nothing missing: apt-cache is not run").isEmpty();
    }
}
