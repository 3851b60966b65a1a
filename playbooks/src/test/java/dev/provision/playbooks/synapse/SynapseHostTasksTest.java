package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;
import dev.provision.tasks.files.Files;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The playbook's own tasks, planned against facts as a host would answer them. */
class SynapseHostTasksTest {

    /** Answers every fact of a task with the given results, in the order of {@link Task#facts()}. */
    private static Plan plan(Task task, CommandResult... answers) {
        List<Fact<?>> facts = task.facts();
        Facts given = new Facts() {
            @Override
            public <T> T get(Fact<T> fact) {
                return fact.parse(answers[facts.stream().map(Fact::command).distinct().toList().indexOf(fact.command())]);
            }
        };
        return task.plan(given);
    }

    private static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "");
    }

    private static List<String> summaries(Plan plan) {
        return plan.changes().stream().map(Change::summary).toList();
    }

    private static final CommandResult CLIENT_MISSING = new CommandResult(1, "",
            "Synapse 1.160.0 needs txredisapi for redis, but it is not installed\nTraceback ...\n");

    @Test
    void requireFailsWithWhatIsMissingAndEveryWayOut() {
        Plan plan = plan(new RedisClientRequired(new RedisClientCheck("/usr/bin/python3"), PackageSource.DEBIAN), CLIENT_MISSING);

        assertThat(plan.failure()).hasValueSatisfying(message -> assertThat(message)
                .startsWith("Synapse 1.160.0 needs txredisapi for redis, but it is not installed")
                .contains("Nothing was configured or restarted", "package_source: matrix_org", "txredisapi_source:",
                        "python3 -m pip install txredisapi", "redis_client: stage_workers"));
        assertThat(plan(new RedisClientRequired(new RedisClientCheck("/usr/bin/python3"), PackageSource.DEBIAN), ok("")).isEmpty()).isTrue();
    }

    @Test
    void stagedRedisIsDisabledUntilTheClientIsThere() {
        String path = "/etc/matrix-synapse/conf.d/redis.yaml";
        RedisSwitch redis = new RedisSwitch(new RedisClientCheck("/usr/bin/python3"),
                Files.file(path).content("redis:\n  enabled: true\n"), Files.file(path).content("redis:\n  enabled: false\n"));
        CommandResult absent = ok("type=absent\n");

        Plan missing = plan(redis, absent, CLIENT_MISSING);
        Plan present = plan(redis, absent, ok(""));

        assertThat(summaries(missing)).singleElement().asString().contains("redis.enabled: false, the workers wait for txredisapi");
        assertThat(missing.changes().get(0).diff().orElseThrow().after()).contains("enabled: false");
        assertThat(present.changes().get(0).diff().orElseThrow().after()).contains("enabled: true");
        String disabledOnHost = "type=file\nowner=root\ngroup=root\nmode=644\nsize=25\ncontent="
                + Base64.getEncoder().encodeToString("redis:\n  enabled: false\n".getBytes()) + "\n";
        assertThat(plan(redis, ok(disabledOnHost), CLIENT_MISSING).isEmpty()).as("nothing to do while it stays missing").isTrue();
    }

    @Test
    void aSecretIsGeneratedOnTheHostOnceAndNeverSent() {
        HostSecret secret = HostSecret.generated(new SecretFile("/etc/s/form_secret", "root", "matrix-synapse", 0640, "", List.of()));

        Plan absent = plan(secret, ok("absent\n"));
        Plan kept = plan(secret, ok("current\nroot matrix-synapse 640\n"));
        Plan loosened = plan(secret, ok("current\nroot matrix-synapse 644\n"));

        assertThat(absent.changes()).singleElement().satisfies(change -> assertThat(change.script())
                .contains("od -An -tx1 -N32 /dev/urandom", "mktemp", "chmod -- 0640").doesNotContain("PROVISION_PAYLOAD"));
        assertThat(kept.isEmpty()).isTrue();
        assertThat(summaries(loosened)).containsExactly("mode 644 → 0640");
    }

    @Test
    void thePassfileFollowsTheDatabasePassword() {
        SecretFile passfile = new SecretFile("/etc/s/pgpass", "matrix-synapse", "matrix-synapse", 0600, "127.0.0.1:5432:synapse:synapse:", List.of());
        HostSecret derived = HostSecret.derivedFrom("/etc/s/database_password", passfile);

        assertThat(derived.facts()).singleElement().satisfies(fact -> assertThat(fact.command())
                .contains("127.0.0.1:5432:synapse:synapse:\"$(cat /etc/s/database_password"));
        assertThat(summaries(plan(derived, ok("stale\nmatrix-synapse matrix-synapse 600\n"))))
                .containsExactly("rewrite: it no longer matches /etc/s/database_password");
        assertThat(plan(derived, ok("absent\n")).changes().get(0).script())
                .contains("printf '%s%s\\n' 127.0.0.1:5432:synapse:synapse: \"$(cat /etc/s/database_password)\"");
    }

    @Test
    void onlyRunningProcessesOlderThanTheirFilesAreRestarted() {
        RestartOutdated restart = RestartOutdated.restart(List.of("a.service", "b.service", "c.service"), List.of("/etc/x.yaml"));

        Plan plan = plan(restart, ok("a.service\tactive\t/etc/x.yaml\nb.service\tactive\t\nc.service\tinactive\t/etc/x.yaml\n"));

        assertThat(summaries(plan)).containsExactly("restart a.service (older than /etc/x.yaml)");
        assertThat(plan.changes().get(0).script()).startsWith("if ! systemctl restart a.service; then");
        assertThat(plan(restart, ok("a.service\tactive\t\nb.service\tactive\t\nc.service\tinactive\t\n")).isEmpty()).isTrue();
    }

    @Test
    void workersThatLeftTheTopologyAreStoppedAndTheirFilesRemoved() {
        SynapseTopology topology = SynapseTopology.forServer("example.com").workers(GuideLayout.standard().normalSyncWorkers(2)).build();

        Plan plan = plan(new RetiredWorkers(topology, topology.machine()), ok("matrix-synapse-worker@normal_sync1.service\nmatrix-synapse-worker@normal_sync3.service\n"
                + "--files--\n/etc/matrix-synapse/workers/normal_sync1.yaml\n/etc/matrix-synapse/workers/normal_sync3.yaml\n"
                + "/etc/matrix-synapse/logconf.d/normal_sync3.yaml\n"));

        assertThat(summaries(plan)).containsExactly("stop matrix-synapse-worker@normal_sync3.service",
                "remove /etc/matrix-synapse/workers/normal_sync3.yaml, /etc/matrix-synapse/logconf.d/normal_sync3.yaml");
    }
}
