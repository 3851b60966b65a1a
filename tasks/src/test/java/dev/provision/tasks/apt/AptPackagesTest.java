package dev.provision.tasks.apt;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Plan;
import dev.provision.tasks.files.FileProbe;
import dev.provision.tasks.support.StubFacts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AptPackagesTest {

    private static final String DPKG = """
            bash\tinstall ok installed\t5.2.15-2+b13
            nginx\tinstall ok installed\t1.22.1-9+deb12u8
            cron\tdeinstall ok config-files\t3.0pl1-162
            """;

    /** As dpkg leaves it when it is stopped in the middle of installing redis-server. */
    private static final String INTERRUPTED = DPKG + "redis-server\tinstall ok half-configured\t5:7.0.15-1\n";

    private static final String POLICY = """
            db1
            nginx:
              Installed: 1.22.1-9+deb12u8
              Candidate: 1.22.1-9+deb12u9
            bash:
              Installed: 5.2.15-2+b13
              Candidate: 5.2.15-2+b13
            redis-server:
              Installed: 5:7.0.15-1
              Candidate: 5:7.0.15-1
            postgresql:
              Installed: (none)
              Candidate: 15+248
            cron:
              Installed: (none)
              Candidate: 3.0pl1-162
            """;

    private static Plan plan(AptPackages task, String cache) {
        return plan(task, cache, DPKG);
    }

    private static Plan plan(AptPackages task, String cache, String dpkg) {
        StubFacts facts = new StubFacts().answer(InstalledPackages.FACT, dpkg);
        if (task.facts().contains(AptCache.FACT)) {
            facts.answer(AptCache.FACT, cache).answer(task.facts().get(2), POLICY);
        }
        return task.plan(facts);
    }

    private static final String FRESH = AptCacheTest.cache(60, 3);

    private static List<String> summaries(Plan plan) {
        return plan.changes().stream().map(Change::summary).toList();
    }

    @Test
    void installedPackagesNeedNothing() {
        assertThat(plan(Apt.present("bash", "nginx"), FRESH).isEmpty()).isTrue();
    }

    @Test
    void installsWhatIsMissingWithoutQuestionsAndWaitingForTheLock() {
        Plan plan = plan(Apt.present("bash", "postgresql", "cron"), FRESH);
        assertThat(summaries(plan)).containsExactly("install postgresql, cron");
        assertThat(plan.changes().get(0).script())
                .contains("DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300")
                .contains("--force-confdef").contains("--force-confold")
                .endsWith("install postgresql cron\n");
    }

    @Test
    void updatesOnlyWhenSomethingIsInstalledAndTheListsAreStale() {
        assertThat(plan(Apt.present("bash").refreshCacheOlderThan(Duration.ofMinutes(1)), AptCacheTest.cache(3600, 3)).isEmpty()).isTrue();
        Plan plan = plan(Apt.present("postgresql").refreshCacheOlderThan(Duration.ofMinutes(1)), AptCacheTest.cache(3600, 3));
        assertThat(summaries(plan)).containsExactly("update package lists (package lists are older than 1m)", "install postgresql");
        assertThat(plan.changes().get(0).script()).contains("update || exit $?").contains("touch " + AptCache.STAMP);
    }

    @Test
    void anUnknownPackageFailsThePlanWhenNoUpdateCouldMakeItKnown() {
        Plan plan = plan(Apt.present("nosuchpkg"), FRESH);
        assertThat(plan.failure()).contains("package nosuchpkg is not known to apt on db1: check the name or add its repository");
    }

    @Test
    void anUnknownPackageIsCheckedAfterThePlannedUpdateInstead() {
        Plan plan = plan(Apt.present("matrix-synapse-py3"), AptCacheTest.cache(10, 3, "/etc/apt/sources.list.d/matrix-org.sources"));
        assertThat(plan.failed()).isFalse();
        assertThat(plan.changes().get(1).script()).contains("is not known to apt on $(uname -n)").contains("for p in matrix-synapse-py3;");
    }

    @Test
    void anInterruptedPackageIsFinishedBeforeInstalling() {
        Plan plan = plan(Apt.present("redis-server"), FRESH, INTERRUPTED);
        assertThat(summaries(plan)).containsExactly("finish an interrupted dpkg run", "install redis-server");
        assertThat(plan.changes().get(0).script()).contains("dpkg --force-confdef --force-confold --configure -a");
    }

    @Test
    void anInterruptedDependencyIsFinishedBeforeInstallingAnythingElse() {
        Plan plan = plan(Apt.present("postgresql"), FRESH, INTERRUPTED);
        assertThat(summaries(plan)).containsExactly("finish an interrupted dpkg run", "install postgresql");
    }

    @Test
    void anInterruptedPackageIsFinishedBeforeRemoving() {
        Plan plan = plan(Apt.absent("nginx"), FRESH, INTERRUPTED);
        assertThat(summaries(plan)).containsExactly("finish an interrupted dpkg run", "remove nginx");
    }

    @Test
    void latestUpgradesToTheCandidate() {
        assertThat(summaries(plan(Apt.latest("nginx", "bash"), FRESH))).containsExactly("upgrade nginx to 1.22.1-9+deb12u9");
    }

    @Test
    void latestWithStaleListsUpdatesAndUpgradesToWhateverIsNewest() {
        Plan plan = plan(Apt.latest("bash").refreshCacheOlderThan(Duration.ofHours(1)), AptCacheTest.cache(7200, 3));
        assertThat(summaries(plan)).containsExactly("update package lists (package lists are older than 1h)",
                "upgrade bash to the newest version after the update");
    }

    @Test
    void absentRemovesInstalledPackagesButLeavesConfigFilesAlone() {
        assertThat(summaries(plan(Apt.absent("nginx", "cron", "telnet"), FRESH))).containsExactly("remove nginx");
        assertThat(plan(Apt.absent("nginx"), FRESH).changes().get(0).script()).contains(" remove nginx");
    }

    @Test
    void purgedAlsoRemovesLeftOverConfigFiles() {
        assertThat(summaries(plan(Apt.purged("nginx", "cron", "telnet"), FRESH))).containsExactly("purge nginx, cron");
    }

    @Test
    void aLinkedRepositoryAboutToBeWrittenMakesTheListsStale() {
        AptRepository matrix = Apt.repository("matrix-org").uri("https://packages.matrix.org/debian/").suite("bookworm")
                .components("main").signedBy(AptRepositoryTest.ARMOURED_KEY);
        AptPackages synapse = Apt.present("matrix-synapse-py3").from(matrix);
        StubFacts facts = new StubFacts().answer(InstalledPackages.FACT, DPKG).answer(AptCache.FACT, FRESH)
                .answer(synapse.facts().get(2), POLICY);
        AptRepositoryTest.nothingOnDisk(facts);
        Plan plan = synapse.plan(facts);
        assertThat(plan.failed()).isFalse();
        assertThat(summaries(plan)).containsExactly(
                "update package lists (repository matrix-org is being added or changed)", "install matrix-synapse-py3");
        assertThat(synapse.facts()).extracting(Fact::command).contains(FileProbe.at("/etc/apt/sources.list.d/matrix-org.sources").command());
    }
}
