package dev.provision.engine;

import dev.provision.task.Change;
import dev.provision.task.Diff;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.dsl.Handler;
import dev.provision.dsl.Host;
import dev.provision.dsl.InlinePlaybook;
import dev.provision.task.Plan;
import dev.provision.dsl.Playbook;
import dev.provision.dsl.Secret;
import dev.provision.task.Task;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.Status;
import dev.provision.engine.report.TaskResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static dev.provision.engine.FakeHost.action;
import static dev.provision.engine.FakeHost.failingApply;
import static dev.provision.engine.FakeHost.setting;
import static org.assertj.core.api.Assertions.assertThat;

class HostRunTest {

    private final FakeHost host = new FakeHost();

    private static Playbook playbook(Consumer<InlinePlaybook> body) {
        return InlinePlaybook.of(body);
    }

    private HostReport run(Playbook playbook, RunOptions options) {
        return new HostRun(Host.named("fake"), playbook.definition(Host.named("fake")), host, options, dev.provision.engine.report.RunListener.NONE).run();
    }

    private static List<Status> statuses(HostReport report) {
        return report.results().stream().map(TaskResult::status).toList();
    }

    @Test
    void firstRunChangesSecondRunChangesNothingInOneRoundTrip() {
        Consumer<InlinePlaybook> body = p -> {
            p.step("a", setting("a", "1"));
            p.step("b", setting("b", "2"));
        };
        HostReport first = run(playbook(body), RunOptions.apply());
        assertThat(statuses(first)).containsExactly(Status.CHANGED, Status.CHANGED);
        assertThat(host.values).containsEntry("a", "1").containsEntry("b", "2");

        HostReport second = run(playbook(body), RunOptions.apply());
        assertThat(statuses(second)).containsExactly(Status.OK, Status.OK);
        assertThat(second.roundTrips()).as("one fact batch, nothing to apply").isEqualTo(1);
    }

    @Test
    void checkModeReportsWhatApplyWouldDoAndChangesNothing() {
        host.values.put("a", "1");
        HostReport check = run(playbook(p -> {
            p.step("a", setting("a", "1"));
            p.step("b", setting("b", "2"));
        }), RunOptions.checkOnly());
        assertThat(statuses(check)).containsExactly(Status.OK, Status.CHANGED);
        assertThat(check.results().get(1).changes()).containsExactly("b = 2");
        assertThat(host.executed).isEmpty();
        assertThat(check.roundTrips()).isEqualTo(1);
    }

    @Test
    void applyPlansEachTaskAgainstTheHostAsEarlierTasksLeftIt() {
        // "copy" sets b to whatever a holds: its plan is only right once a has been applied
        Task copy = new Task() {
            @Override public String describe() { return "b follows a"; }
            @Override public List<Fact<?>> facts() { return List.of(FakeHost.value("a"), FakeHost.value("b")); }
            @Override public Plan plan(Facts facts) {
                String a = facts.get(FakeHost.value("a")).orElse("none");
                return facts.get(FakeHost.value("b")).filter(a::equals).isPresent()
                        ? Plan.ok() : Plan.of(Change.of("b = " + a, "set b " + a));
            }
        };
        run(playbook(p -> {
            p.step("a", setting("a", "7"));
            p.step("copy", copy);
        }), RunOptions.apply());
        assertThat(host.values).containsEntry("b", "7");
    }

    @Test
    void handlersRunOnceInDeclarationOrderOnlyWhenNotified() {
        HostReport report = run(playbook(p -> {
            Handler second = p.handler("second", action("second"));
            Handler first = p.handler("first", action("first"));
            Handler never = p.handler("never", action("never"));
            p.step("a", setting("a", "1")).notifies(first, second);
            p.step("b", setting("b", "2")).notifies(first);
            host.values.put("c", "3");
            p.step("c", setting("c", "3")).notifies(never);
        }), RunOptions.apply());
        List<String> handlersRun = report.results().stream().filter(TaskResult::handler).map(TaskResult::name).toList();
        assertThat(handlersRun).containsExactly("second", "first");
        assertThat(host.executed).containsExactly("set a 1", "set b 2", "set ran.second yes", "set ran.first yes");
    }

    @Test
    void aFailedTaskStopsTheHostButNotifiedHandlersStillRun() {
        HostReport report = run(playbook(p -> {
            Handler restart = p.handler("restart", action("restart"));
            p.step("a", setting("a", "1")).notifies(restart);
            p.step("broken", failingApply("disk full"));
            p.step("never reached", setting("z", "9"));
        }), RunOptions.apply());
        assertThat(statuses(report)).containsExactly(Status.CHANGED, Status.FAILED, Status.CHANGED);
        assertThat(report.results().get(1).message()).hasValueSatisfying(m -> assertThat(m).contains("disk full"));
        assertThat(host.values).doesNotContainKey("z").containsEntry("ran.restart", "yes");
    }

    @Test
    void withoutForcedHandlersAFailureLeavesHandlersForTheNextRun() {
        run(playbook(p -> {
            Handler restart = p.handler("restart", action("restart"));
            p.step("a", setting("a", "1")).notifies(restart);
            p.step("broken", failingApply("boom"));
        }), RunOptions.apply().withForceHandlers(false));
        assertThat(host.values).doesNotContainKey("ran.restart");
    }

    @Test
    void aPlanThatFailsAppliesNothing() {
        Task refuses = new Task() {
            @Override public String describe() { return "precondition"; }
            @Override public List<Fact<?>> facts() { return List.of(); }
            @Override public Plan plan(Facts facts) { return Plan.fail("txredisapi is missing: install it first"); }
        };
        HostReport report = run(playbook(p -> {
            p.step("check", refuses);
            p.step("a", setting("a", "1"));
        }), RunOptions.apply());
        assertThat(statuses(report)).containsExactly(Status.FAILED);
        assertThat(report.results().get(0).message()).hasValue("txredisapi is missing: install it first");
        assertThat(host.executed).isEmpty();
    }

    @Test
    void aStepWhoseConditionDoesNotHoldIsSkipped() {
        HostReport report = run(playbook(p -> p.step("a", setting("a", "1"))
                .when(Fact.of("get feature", r -> r.succeeded()))), RunOptions.apply());
        assertThat(statuses(report)).containsExactly(Status.SKIPPED);
        assertThat(host.executed).isEmpty();
    }

    @Test
    void flushedHandlersRunWhereTheFlushStandsAndCheckModeReportsThemThere() {
        Consumer<InlinePlaybook> body = p -> {
            Handler reload = p.handler("daemon-reload", action("reload"));
            p.step("unit file", setting("unit", "v2")).notifies(reload);
            p.flushHandlers();
            p.step("service", setting("service", "started"));
        };
        HostReport check = run(playbook(body), RunOptions.checkOnly());
        assertThat(check.results()).extracting(TaskResult::name).containsExactly("unit file", "daemon-reload", "service");
        assertThat(host.executed).isEmpty();

        HostReport apply = run(playbook(body), RunOptions.apply());
        assertThat(apply.results()).extracting(TaskResult::name, TaskResult::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("unit file", Status.CHANGED),
                org.assertj.core.groups.Tuple.tuple("daemon-reload", Status.CHANGED),
                org.assertj.core.groups.Tuple.tuple("service", Status.CHANGED));
        assertThat(host.executed).containsExactly("set unit v2", "set ran.reload yes", "set service started");

        HostReport again = run(playbook(body), RunOptions.apply());
        assertThat(again.results()).extracting(TaskResult::name).containsExactly("unit file", "service");
        assertThat(again.roundTrips()).as("an idle flush costs no round trip").isEqualTo(1);
    }
}
