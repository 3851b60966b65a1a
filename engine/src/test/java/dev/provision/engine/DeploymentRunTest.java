package dev.provision.engine;

import dev.provision.dsl.Deployment;
import dev.provision.dsl.Host;
import dev.provision.dsl.InlinePlaybook;
import dev.provision.dsl.Product;
import dev.provision.dsl.Received;
import dev.provision.dsl.Role;
import dev.provision.dsl.Secret;
import dev.provision.dsl.engine.DeploymentDefinition;
import dev.provision.engine.connect.Batch;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionException;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.report.ConsoleReporter;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.JsonReport;
import dev.provision.engine.report.Masking;
import dev.provision.engine.report.RunListener;
import dev.provision.engine.report.RunReport;
import dev.provision.engine.report.Status;
import dev.provision.engine.report.TaskResult;
import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stages, handed-over values, rolling batches and contained failures, on fake hosts. */
class DeploymentRunTest {

    private static final String TOKEN = FakeHost.generated("token");

    private final Map<String, FakeHost> hosts = new ConcurrentHashMap<>();
    /** Every change command as it reached a host, {@code host: command}, in the order they came. */
    private final List<String> changes = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> down = ConcurrentHashMap.newKeySet();

    private final Connector connector = target -> {
        String name = target.host().name();
        if (down.contains(name)) {
            throw new ConnectionException("connection refused: " + name);
        }
        FakeHost host = hosts.computeIfAbsent(name, n -> new FakeHost());
        return new Connection() {
            @Override
            public List<CommandResult> send(Batch batch) {
                batch.inOrder().stream().flatMap(String::lines).map(String::strip)
                        .filter(line -> line.startsWith("set ") || line.startsWith("generate ")).forEach(line -> changes.add(name + ": " + line));
                return host.send(batch);
            }

            @Override public int roundTrips() { return host.roundTrips(); }
            @Override public String describe() { return name; }
            @Override public void close() { }
        };
    };

    /** db makes a token; app receives it and writes it; web comes after app. */
    public static final class Trio extends Deployment {
        static Product<Secret> token;

        @Override
        protected void define() {
            Role db = role("db", () -> InlinePlaybook.of(p -> {
                p.step("database up", FakeHost.setting("db", "up"));
                p.step("token made", FakeHost.generating("token"));
            }));
            token = db.produces("token", Fact.of("get token", r -> r.succeeded() ? Optional.of(Secret.of(r.stdout())) : Optional.empty()));
            Role app = role("app", () -> InlinePlaybook.forHost((p, host) -> p.step("token written", writing(host.received(token)))))
                    .after(db);
            role("web", () -> InlinePlaybook.of(p -> p.step("web up", FakeHost.setting("web", "up")))).after(app);
        }
    }

    /** Writes the received token, or plans it as received in check mode before it exists. */
    private static Task writing(Received<Secret> token) {
        return new Task() {
            @Override public String describe() { return "the token"; }
            @Override public List<Fact<?>> facts() { return List.of(FakeHost.value("apptoken")); }
            @Override public Plan plan(Facts facts) {
                if (token.value().isEmpty()) {
                    return Plan.of(Change.of("token: " + token.describe(), "exit 1"));
                }
                String value = token.value().get().reveal();
                return facts.get(FakeHost.value("apptoken")).filter(value::equals).isPresent() ? Plan.ok()
                        : Plan.of(Change.of("token " + value, "set apptoken " + value));
            }
        };
    }

    private DeploymentTarget deployment(Deployment deployment, Map<String, List<String>> roles, Set<String> limited) {
        DeploymentDefinition definition = deployment.definition();
        Map<String, List<HostTarget>> hostsByRole = new LinkedHashMap<>();
        roles.forEach((role, names) -> hostsByRole.put(role, names.stream().map(name -> new HostTarget(Host.named(name),
                ConnectionSettings.ssh(name, 22, "root"), definition.role(role).playbook())).toList()));
        return new DeploymentTarget("trio", definition, hostsByRole, limited);
    }

    private DeploymentTarget trio() {
        return deployment(new Trio(), orderedMap("db", List.of("db1"), "app", List.of("app1", "app2"), "web", List.of("web1")),
                Set.of("db1", "app1", "app2", "web1"));
    }

    private static Map<String, List<String>> orderedMap(Object... pairs) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked") List<String> value = (List<String>) pairs[i + 1];
            map.put((String) pairs[i], value);
        }
        return map;
    }

    private RunReport deploy(DeploymentTarget target, RunOptions options, RunListener listener) {
        return new Provision(connector, options, listener).deploy(target);
    }

    private static HostReport report(RunReport run, String host, String stage) {
        return run.hosts().stream().filter(h -> h.host().equals(host) && h.stage().equals(Optional.of(stage))).findFirst().orElseThrow();
    }

    @Test
    void stagesRunInOrderAndTheTokenMadeOnTheDatabaseReachesEveryAppHost() {
        RunReport run = deploy(trio(), RunOptions.apply(), RunListener.NONE);

        assertThat(run.succeeded()).isTrue();
        assertThat(run.hosts()).extracting(HostReport::label).containsExactly("db1 [db]", "app1 [app]", "app2 [app]", "web1 [web]");
        int lastDb = Math.max(changes.indexOf("db1: set db up"), changes.indexOf("db1: generate token"));
        assertThat(changes.indexOf("app1: set apptoken " + TOKEN)).isGreaterThan(lastDb);
        assertThat(changes.indexOf("app2: set apptoken " + TOKEN)).isGreaterThan(lastDb);
        assertThat(changes.indexOf("web1: set web up")).isGreaterThan(Math.max(changes.indexOf("app1: set apptoken " + TOKEN),
                changes.indexOf("app2: set apptoken " + TOKEN)));
        assertThat(hosts.get("app1").values).containsEntry("apptoken", TOKEN);
        assertThat(hosts.get("app2").values).containsEntry("apptoken", TOKEN);

        RunReport again = deploy(trio(), RunOptions.apply(), RunListener.NONE);
        assertThat(again.changed()).isZero();
        assertThat(again.succeeded()).isTrue();
    }

    @Test
    void theHandedOverValueIsMaskedInTheReportTheListenerTheConsoleAndTheJson() {
        List<TaskResult> told = Collections.synchronizedList(new ArrayList<>());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Masking masking = new Masking();
        ConsoleReporter reporter = new ConsoleReporter(new PrintStream(console, true, StandardCharsets.UTF_8),
                new ConsoleReporter.Options(false, false, true, 2, List.of("db1 [db]", "app1 [app]", "app2 [app]", "web1 [web]")), masking);
        RunListener both = new RunListener() {
            @Override public void taskFinished(String host, TaskResult result) {
                told.add(result);
                reporter.taskFinished(host, result);
            }
            @Override public void command(String host, Supplier<String> line) {
                reporter.command(host, line);
            }
        };

        RunReport run = new Provision(connector, RunOptions.apply().withDiff(true), both, masking).deploy(trio());

        assertThat(run.toString()).doesNotContain(TOKEN).contains("token ********");
        assertThat(told.toString()).doesNotContain(TOKEN);
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain(TOKEN).contains("set apptoken ********");
        assertThat(JsonReport.render(run, masking)).doesNotContain(TOKEN);
    }

    @Test
    void checkModePlansAValueNotMadeYetAsReceivedFromItsHost() {
        RunReport plan = deploy(trio(), RunOptions.checkOnly(), RunListener.NONE);

        TaskResult written = report(plan, "app1", "app").results().get(0);
        assertThat(written.status()).isEqualTo(Status.CHANGED);
        assertThat(written.changes()).containsExactly("token: token received from db1");
        assertThat(hosts.values()).allSatisfy(host -> assertThat(host.executed).isEmpty());
    }

    @Test
    void aHostThatFailsStopsOnlyTheStagesThatWaitForItWithTheReason() {
        down.add("db1");

        RunReport run = deploy(trio(), RunOptions.apply(), RunListener.NONE);

        assertThat(report(run, "db1", "db").unreachable()).hasValue("connection refused: db1");
        for (String app : List.of("app1", "app2")) {
            TaskResult skipped = report(run, app, "app").results().get(0);
            assertThat(skipped.status()).isEqualTo(Status.SKIPPED);
            assertThat(skipped.message()).hasValue("waits for db1 (role db), which failed");
        }
        assertThat(report(run, "web1", "web").results().get(0).message()).hasValue("waits for app1 (role app), which was skipped");
        assertThat(changes).isEmpty();

        down.clear();
        RunReport again = deploy(trio(), RunOptions.apply(), RunListener.NONE);
        assertThat(again.succeeded()).isTrue();
        assertThat(hosts.get("app2").values).containsEntry("apptoken", TOKEN);
    }

    @Test
    void rolesThatWaitForNothingThatFailedGoOn() {
        Deployment two = new Deployment() {
            @Override
            protected void define() {
                role("broken", () -> InlinePlaybook.of(p -> p.step("fails", FakeHost.failingApply("no"))));
                role("fine", () -> InlinePlaybook.of(p -> p.step("works", FakeHost.setting("x", "1"))));
            }
        };
        RunReport run = deploy(deployment(two, orderedMap("broken", List.of("b1"), "fine", List.of("f1")), Set.of("b1", "f1")),
                RunOptions.apply(), RunListener.NONE);

        assertThat(report(run, "b1", "broken").failed()).isEqualTo(1);
        assertThat(report(run, "f1", "fine").changed()).isEqualTo(1);
    }

    /** Five hosts two at a time; a host named bad-* fails its stage. */
    private RunReport rolling(Consumer<Role> tuning) {
        Deployment rolling = new Deployment() {
            @Override
            protected void define() {
                tuning.accept(role("fleet", () -> InlinePlaybook.forHost((p, host) -> p.step("up", host.name().startsWith("bad")
                        ? FakeHost.failingApply("broken") : FakeHost.setting("up", "yes")))));
            }
        };
        return deploy(deployment(rolling, orderedMap("fleet", List.of("bad1", "ok2", "ok3", "ok4", "ok5")),
                Set.of("bad1", "ok2", "ok3", "ok4", "ok5")), RunOptions.apply(), RunListener.NONE);
    }

    /** Two hosts, one at a time, the first failing, tuned as given; then one host that comes after them. */
    private RunReport thenEdge(Consumer<Role> tuning) {
        Deployment rolling = new Deployment() {
            @Override
            protected void define() {
                Role fleet = role("fleet", () -> InlinePlaybook.forHost((p, host) -> p.step("up", host.name().startsWith("bad")
                        ? FakeHost.failingApply("broken") : FakeHost.setting("up", "yes"))));
                tuning.accept(fleet);
                role("edge", () -> InlinePlaybook.of(p -> p.step("routes", FakeHost.setting("routes", "yes")))).after(fleet);
            }
        };
        return deploy(deployment(rolling, orderedMap("fleet", List.of("ok1", "bad2"), "edge", List.of("e1")), Set.of("ok1", "bad2", "e1")),
                RunOptions.apply(), RunListener.NONE);
    }

    @Test
    void theRolesAfterARoleGoOnWhileItsFailuresAreWithinWhatItTolerates() {
        assertThat(report(thenEdge(role -> role.serial(1).maxFailPercent(50)), "e1", "edge").changed()).isEqualTo(1);

        assertThat(report(thenEdge(role -> role.serial(1).maxFailures(0)), "e1", "edge").results().get(0).message())
                .hasValue("waits for bad2 (role fleet), which failed");
        assertThat(report(thenEdge(role -> role.serial(1)), "e1", "edge").results().get(0).status()).isEqualTo(Status.SKIPPED);
    }

    @Test
    void aRollingStageRunsItsBatchesInTurnAndStopsWhenABatchFailsMoreThanItTolerates() {
        RunReport strict = rolling(role -> role.serial(2).maxFailures(0));

        assertThat(report(strict, "bad1", "fleet").failed()).isEqualTo(1);
        assertThat(report(strict, "ok2", "fleet").changed()).isEqualTo(1);
        for (String later : List.of("ok3", "ok4", "ok5")) {
            assertThat(report(strict, later, "fleet").results().get(0).message())
                    .hasValue("role fleet stopped: 1 of 2 hosts of batch 1 failed, more than the 0 it tolerates");
        }
        assertThat(hosts.get("ok3")).isNull();
    }

    @Test
    void aRollingStageGoesOnWithinItsToleratedShare() {
        RunReport tolerant = rolling(role -> role.serialPercent(40).maxFailPercent(50));

        assertThat(List.of("ok2", "ok3", "ok4", "ok5")).allSatisfy(host -> assertThat(report(tolerant, host, "fleet").changed()).isEqualTo(1));
    }

    @Test
    void aHostOutsideTheLimitIsOnlyReadForWhatItMade() {
        deploy(trio(), RunOptions.apply(), RunListener.NONE);
        hosts.get("app2").values.remove("apptoken");
        changes.clear();

        RunReport limited = deploy(deployment(new Trio(), orderedMap("db", List.of("db1"), "app", List.of("app1", "app2"),
                "web", List.of("web1")), Set.of("app2")), RunOptions.apply(), RunListener.NONE);

        assertThat(limited.hosts()).extracting(HostReport::label).containsExactly("app2 [app]");
        assertThat(changes).containsExactly("app2: set apptoken " + TOKEN);
    }

    @Test
    void aLimitedHostWhoseProducerCannotBeReadFailsAndSaysWhy() {
        down.add("db1");

        RunReport limited = deploy(deployment(new Trio(), orderedMap("db", List.of("db1"), "app", List.of("app1", "app2"),
                "web", List.of("web1")), Set.of("app1")), RunOptions.apply(), RunListener.NONE);

        assertThat(report(limited, "app1", "app").failure()).hasValueSatisfying(why -> assertThat(why)
                .isEqualTo("needs what db1 (role db, outside --limit) made, and it could not be read: connection refused: db1"));
    }

    @Test
    void inApplyModeAValueTheProducerDidNotMakeFailsTheHostsThatNeedIt() {
        Deployment forgetful = new Deployment() {
            @Override
            protected void define() {
                Role db = role("db", () -> InlinePlaybook.of(p -> p.step("database up", FakeHost.setting("db", "up"))));
                Product<Secret> never = db.produces("token", Fact.of("get token", r -> r.succeeded()
                        ? Optional.of(Secret.of(r.stdout())) : Optional.empty()));
                role("app", () -> InlinePlaybook.forHost((p, host) -> p.step("token", writing(host.received(never))))).after(db);
            }
        };
        RunReport run = deploy(deployment(forgetful, orderedMap("db", List.of("db1"), "app", List.of("app1")), Set.of("db1", "app1")),
                RunOptions.apply(), RunListener.NONE);

        assertThat(report(run, "app1", "app").failure()).hasValueSatisfying(why -> assertThat(why)
                .startsWith("token was not made by db1: role db finished there without it"));
    }

    @Test
    void aDeploymentIsCheckedBeforeAnyHostIsTouched() {
        assertThatThrownBy(() -> new Deployment() {
            @Override
            protected void define() {
                Role a = role("a", () -> InlinePlaybook.of(p -> { }));
                Role b = role("b", () -> InlinePlaybook.of(p -> { })).after(a);
                a.after(b);
            }
        }.definition()).hasMessageContaining("wait for each other in a circle: a, b");
        assertThatThrownBy(() -> new Deployment() {
            @Override
            protected void define() {
                role("a", () -> InlinePlaybook.of(p -> { })).serial(0);
            }
        }.definition()).hasMessageContaining("a batch needs at least one host");

        Deployment rejects = new Deployment() {
            @Override
            protected void define() {
                role("db", () -> InlinePlaybook.of(p -> p.step("up", FakeHost.setting("db", "up"))));
                role("app", () -> InlinePlaybook.of(p -> {
                    throw new IllegalArgumentException("app needs server_name");
                }));
            }
        };
        assertThatThrownBy(() -> deploy(deployment(rejects, orderedMap("db", List.of("db1"), "app", List.of("app1")),
                Set.of("db1", "app1")), RunOptions.apply(), RunListener.NONE))
                .isInstanceOf(PlaybookRejectedException.class).hasMessageContaining("app needs server_name");
        assertThat(hosts).isEmpty();
    }
}
