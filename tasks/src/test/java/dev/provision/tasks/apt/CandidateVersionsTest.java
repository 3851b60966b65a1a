package dev.provision.tasks.apt;

import dev.provision.task.CommandResult;
import dev.provision.tasks.files.LocalHost;
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
                LocalHost.sh(CandidateVersions.ofMissing(List.of("dpkg", "no-such-package-x")).command()));
        assertThat(missing.hostname()).isNotBlank();
        assertThat(missing.candidates()).as("apt is asked about the missing package only").isEmpty();
        CandidateVersions installed = CandidateVersions.parse(
                LocalHost.sh(CandidateVersions.ofMissing(List.of("dpkg", "coreutils")).command()));
        assertThat(installed.candidates()).as("nothing missing: apt-cache is not run").isEmpty();
    }

    @Test
    void theInstallTasksOfARunShareOneDpkgQueryAndEachReadsWhatItsOwnCommandReads() {
        List<List<String>> tasks = List.of(List.of("dpkg", "no-such-package-x"), List.of("coreutils"),
                List.of("no-such-package-y", "dpkg", "sl"));
        CommandResult batch = LocalHost.sh(CandidateVersions.MISSING.command(tasks));
        assertThat(batch.stdout()).as(batch.stderr()).isNotBlank();
        List<CommandResult> split = CandidateVersions.MISSING.split(batch, tasks).orElseThrow();
        assertThat(split).hasSize(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            CommandResult alone = LocalHost.sh(CandidateVersions.ofMissing(tasks.get(i)).command());
            assertThat(split.get(i).stdout()).as(tasks.get(i).toString()).isEqualTo(alone.stdout());
            assertThat(CandidateVersions.parse(split.get(i))).isEqualTo(CandidateVersions.parse(alone));
        }
        assertThat(CandidateVersions.MISSING.command(tasks)).as("one dpkg-query for every task").containsOnlyOnce("dpkg-query");
    }

    @Test
    void aBatchThatFailedOrLostATaskIsNotSplit() {
        List<List<String>> tasks = List.of(List.of("a"), List.of("b"));
        assertThat(CandidateVersions.MISSING.split(new CommandResult(0, "h\n@task \n", ""), tasks)).isEmpty();
        assertThat(CandidateVersions.MISSING.split(new CommandResult(100, "h\n@task \n@task \n", "E: ..."), tasks)).isEmpty();
        assertThat(CandidateVersions.MISSING.split(new CommandResult(0, "h\n@task \n@task \n", ""), tasks)).isPresent();
    }
}
