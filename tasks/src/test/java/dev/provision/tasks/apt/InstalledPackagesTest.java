package dev.provision.tasks.apt;

import dev.provision.task.CommandResult;
import dev.provision.task.FactException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstalledPackagesTest {

    private static final String DPKG = """
            bash\tinstall ok installed\t5.2.15-2+b13
            cron\tdeinstall ok config-files\t3.0pl1-162
            nginx-common\tinstall reinstreq half-installed\t1.22.1-9
            redis-server\tinstall ok half-configured\t5:7.0.15-1
            telnet\tpurge ok not-installed\t
            man-db\tinstall ok triggers-pending\t2.11.2-2
            libc6\tinstall ok installed\t2.36-9
            libc6\tpurge ok not-installed\t
            """;

    private final InstalledPackages dpkg = InstalledPackages.parse(new CommandResult(0, DPKG, ""));

    @Test
    void installedMeansConfiguredEvenWithTriggersPending() {
        assertThat(dpkg.installed("bash")).isTrue();
        assertThat(dpkg.installed("man-db")).isTrue();
        assertThat(dpkg.find("bash").orElseThrow().version()).isEqualTo("5.2.15-2+b13");
    }

    @Test
    void removedPackagesKeepingConfigurationAreKnownButNotInstalled() {
        assertThat(dpkg.installed("cron")).isFalse();
        assertThat(dpkg.known("cron")).isTrue();
        assertThat(dpkg.find("cron").orElseThrow().configFilesOnly()).isTrue();
    }

    @Test
    void halfInstalledAndHalfConfiguredCountAsInterrupted() {
        assertThat(dpkg.installed("nginx-common")).isFalse();
        assertThat(dpkg.find("nginx-common").orElseThrow().interrupted()).isTrue();
        assertThat(dpkg.find("redis-server").orElseThrow().interrupted()).isTrue();
    }

    @Test
    void notInstalledRecordsAndUnlistedPackagesAreUnknown() {
        assertThat(dpkg.known("telnet")).isFalse();
        assertThat(dpkg.known("nosuch")).isFalse();
    }

    @Test
    void theMostInstalledArchitectureWins() {
        assertThat(dpkg.installed("libc6")).isTrue();
    }

    @Test
    void rejectsWhatItDoesNotUnderstand() {
        assertThatThrownBy(() -> InstalledPackages.parse(new CommandResult(0, "bash installed\n", "")))
                .isInstanceOf(FactException.class).hasMessageContaining("bash installed");
    }
}
