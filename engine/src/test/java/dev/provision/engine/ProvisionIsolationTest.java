package dev.provision.engine;

import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.Diff;
import dev.provision.task.Fact;
import dev.provision.task.FactBatch;
import dev.provision.task.Facts;
import dev.provision.dsl.Host;
import dev.provision.dsl.InlinePlaybook;
import dev.provision.task.Plan;
import dev.provision.dsl.Secret;
import dev.provision.task.Task;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.connect.LocalConnection;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.JsonReport;
import dev.provision.engine.report.Masking;
import dev.provision.engine.report.RunListener;
import dev.provision.engine.report.RunReport;
import dev.provision.engine.report.Status;
import dev.provision.engine.report.TaskResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** One host's fault stays that host's; the run's secrets are masked in everything it tells. */
class ProvisionIsolationTest {

    private final Map<String, FakeHost> hosts = new ConcurrentHashMap<>(Map.of("a", new FakeHost(), "b", new FakeHost()));
    private final List<String> finished = new CopyOnWriteArrayList<>();
    private final List<TaskResult> told = new CopyOnWriteArrayList<>();
    private final RunListener listener = new RunListener() {
        @Override
        public void taskFinished(String host, TaskResult result) {
            told.add(result);
        }

        @Override
        public void hostFinished(HostReport report) {
            finished.add(report.host());
        }
    };

    private RunReport run(RunOptions options, InlinePlaybook onA, InlinePlaybook onB) {
        return new Provision(target -> hosts.get(target.host().name()), options, listener).run(List.of(
                new HostTarget(Host.named("a"), ConnectionSettings.ssh("a", 22, "root"), () -> onA),
                new HostTarget(Host.named("b"), ConnectionSettings.ssh("b", 22, "root"), () -> onB)));
    }

    private static InlinePlaybook sets(String key) {
        return InlinePlaybook.of(p -> p.step("set " + key, FakeHost.setting(key, "1")));
    }

    /** A task reading a fact whose parser has a bug. */
    private static Task readingWith(Function<CommandResult, String> parser) {
        Fact<String> broken = Fact.of("get x", parser);
        return new Task() {
            @Override public String describe() { return "value read by a broken parser"; }
            @Override public List<Fact<?>> facts() { return List.of(broken); }
            @Override public Plan plan(Facts facts) { return facts.get(broken).isEmpty() ? Plan.ok() : Plan.ok(); }
        };
    }

    private static TaskResult only(HostReport report) {
        assertThat(report.results()).hasSize(1);
        return report.results().get(0);
    }

    @Test
    void aFactParserThatThrowsFailsItsTaskOnItsHostAndTheOtherHostFinishes() {
        InlinePlaybook broken = InlinePlaybook.of(p -> {
            p.step("read x", readingWith(result -> {
                throw new AssertionError("parser bug");
            }));
            p.step("set after", FakeHost.setting("after", "1"));
        });

        RunReport report = run(RunOptions.apply(), broken, sets("y"));

        TaskResult failed = only(report.hosts().get(0));
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.name()).isEqualTo("read x");
        assertThat(failed.resource()).isEqualTo("value read by a broken parser");
        assertThat(failed.message()).hasValueSatisfying(m -> assertThat(m)
                .startsWith("unexpected java.lang.AssertionError: parser bug (at ")
                .contains("ProvisionIsolationTest"));
        assertThat(hosts.get("a").values).doesNotContainKey("after");
        assertThat(report.hosts().get(1).changed()).isEqualTo(1);
        assertThat(hosts.get("b").values).containsEntry("y", "1");
        assertThat(finished).containsExactlyInAnyOrder("a", "b");
        assertThat(report.succeeded()).isFalse();
    }

    @Test
    void aBatchWhoseSplitThrowsFailsOnlyItsHost() {
        FactBatch<String> splitBreaks = new FactBatch<>() {
            @Override public String command(List<String> keys) { return "get " + String.join("", keys); }
            @Override public Optional<List<CommandResult>> split(CommandResult result, List<String> keys) {
                throw new IllegalStateException("split bug");
            }
        };
        Fact<Optional<String>> one = Fact.batched(splitBreaks, "x", "get x", r -> Optional.of(r.stdout()));
        Fact<Optional<String>> two = Fact.batched(splitBreaks, "y", "get y", r -> Optional.of(r.stdout()));
        Task both = new Task() {
            @Override public String describe() { return "two batched facts"; }
            @Override public List<Fact<?>> facts() { return List.of(one, two); }
            @Override public Plan plan(Facts facts) { return Plan.ok(); }
        };

        RunReport report = run(RunOptions.apply(), InlinePlaybook.of(p -> p.step("batched", both)), sets("y"));

        assertThat(only(report.hosts().get(0)).message()).hasValueSatisfying(m -> assertThat(m)
                .startsWith("unexpected java.lang.IllegalStateException: split bug"));
        assertThat(report.hosts().get(1).succeeded()).isTrue();
    }

    @Test
    void aTaskWhoseDescriptionAndPlanThrowIsStillReportedByItsClass() {
        Task broken = new Task() {
            @Override public String describe() { throw new NullPointerException("no name"); }
            @Override public List<Fact<?>> facts() { return List.of(); }
            @Override public Plan plan(Facts facts) { throw new StackOverflowError(); }
        };

        RunReport report = run(RunOptions.apply(), InlinePlaybook.of(p -> p.step("deep", broken)), sets("y"));

        TaskResult failed = only(report.hosts().get(0));
        assertThat(failed.message()).hasValueSatisfying(m -> assertThat(m).startsWith("unexpected java.lang.StackOverflowError"));
        assertThat(failed.resource()).contains("its description failed: unexpected java.lang.NullPointerException: no name");
        assertThat(report.hosts().get(1).succeeded()).isTrue();
    }

    @Test
    void anErrorOutsideAnyTaskIsTheHostsFailureInTheReportAndTheJson() {
        hosts.remove("a");
        Connector breaks = target -> {
            if (target.host().name().equals("a")) {
                throw new IllegalArgumentException("connector bug");
            }
            return hosts.get(target.host().name());
        };

        RunReport report = new Provision(breaks, RunOptions.apply(), listener).run(List.of(
                new HostTarget(Host.named("a"), ConnectionSettings.ssh("a", 22, "root"), () -> sets("x")),
                new HostTarget(Host.named("b"), ConnectionSettings.ssh("b", 22, "root"), () -> sets("y"))));

        HostReport a = report.hosts().get(0);
        assertThat(a.failure()).hasValueSatisfying(why -> assertThat(why)
                .startsWith("the run on a broke off: unexpected java.lang.IllegalArgumentException: connector bug"));
        assertThat(a.succeeded()).isFalse();
        assertThat(report.hosts().get(1).changed()).isEqualTo(1);
        assertThat(finished).containsExactlyInAnyOrder("a", "b");
        assertThat(JsonReport.render(report, new Masking()))
                .contains("\"failure\": \"the run on a broke off: unexpected java.lang.IllegalArgumentException: connector bug")
                .contains("\"failed\": 1");
    }

    private static Task leaking(Secret password) {
        return new Task() {
            @Override public String describe() { return "password file"; }
            @Override public List<Fact<?>> facts() { return List.of(); }
            @Override public Plan plan(Facts facts) {
                return Plan.of(Change.of("write " + password.reveal(), "fail bad " + password.reveal())
                        .withDiff(new Diff("/etc/pw", "", "pw=" + password.reveal() + "\n")));
            }
        };
    }

    @Test
    void secretsNeverReachTheReportOrTheListener() {
        InlinePlaybook createsItsSecret = InlinePlaybook.of(p -> p.step("pw", leaking(Secret.of("hunter2-very-secret"))));

        RunReport report = run(RunOptions.apply().withDiff(true), createsItsSecret, sets("y"));

        TaskResult result = report.hosts().get(0).results().get(0);
        assertThat(result.toString()).doesNotContain("hunter2-very-secret");
        assertThat(result.diffs().get(0).unified()).contains("pw=********");
        assertThat(result.message()).hasValueSatisfying(m -> assertThat(m).contains("bad ********"));
        assertThat(told.toString()).doesNotContain("hunter2-very-secret").contains("bad ********");
    }

    @Test
    void aSecretMadeBeforeTheRunIsMaskedOnceATaskRevealsIt() {
        Secret constant = Secret.of("made-before-the-run");

        RunReport report = run(RunOptions.apply().withDiff(true), InlinePlaybook.of(p -> p.step("pw", leaking(constant))), sets("y"));

        assertThat(report.toString()).doesNotContain("made-before-the-run").contains("bad ********");
        assertThat(told.toString()).doesNotContain("made-before-the-run");
    }

    @Test
    void secretVariablesOfTheHostAreMaskedThoughCreatedBeforeTheRun() {
        Secret token = Secret.of("inventory-token-value");
        HostTarget target = new HostTarget(new Host("a", Map.of("token", token)), ConnectionSettings.ssh("a", 22, "root"),
                () -> InlinePlaybook.forHost((p, host) -> p.step("token " + host.var("token"), FakeHost.setting("t", host.var("token")))));

        RunReport report = new Provision(t -> hosts.get(t.host().name()), RunOptions.apply(), listener).run(List.of(target));

        assertThat(report.toString()).doesNotContain("inventory-token-value").contains("token ********");
        assertThat(hosts.get("a").values).containsEntry("t", "inventory-token-value");
    }

    @Test
    void aTimedOutCommandIsShownWithoutItsSecrets() {
        InlinePlaybook waits = InlinePlaybook.of(p -> {
            Secret secret = Secret.of("hunter2-timeout");
            p.step("wait", new Task() {
                @Override public String describe() { return "a long wait"; }
                @Override public List<Fact<?>> facts() { return List.of(); }
                @Override public Plan plan(Facts facts) { return Plan.of(Change.of("wait", "sleep 30 # " + secret.reveal())); }
            });
        });

        RunReport report = new Provision(target -> LocalConnection.open(ConnectionSettings.localShell()),
                RunOptions.apply().withCommandTimeout(Duration.ofSeconds(2)).withLockWait(Duration.ZERO), listener)
                .run(List.of(new HostTarget(Host.named("local"), ConnectionSettings.localShell(), () -> waits)));

        assertThat(only(report.hosts().get(0)).message()).hasValueSatisfying(m -> assertThat(m)
                .contains("command timed out after 2s on local: sleep 30 # " + Secret.MASK)
                .doesNotContain("hunter2-timeout"));
    }
}
