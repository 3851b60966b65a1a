package dev.provision.engine;

import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.dsl.Handler;
import dev.provision.dsl.Host;
import dev.provision.task.Plan;
import dev.provision.dsl.engine.Definition;
import dev.provision.dsl.engine.Definition.Entry;
import dev.provision.dsl.engine.Definition.StepEntry;
import dev.provision.task.Task;
import dev.provision.engine.apply.Applier;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionException;
import dev.provision.engine.facts.FactGatherer;
import dev.provision.engine.facts.GatheredFacts;
import dev.provision.engine.plan.Planner;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.RunListener;
import dev.provision.engine.report.Status;
import dev.provision.engine.report.TaskResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One playbook on one connected host: gather facts, plan, apply, run handlers, report.
 *
 * <p>Facts for all remaining tasks are gathered in one batch. In check mode that one batch is all:
 * every task is planned against the host as it is. In apply mode each task is planned against the
 * latest batch and exactly that plan is run; once a task has changed the host, the facts of the
 * tasks after it are gathered again (one batch) so that no plan rests on a state that is gone.
 * A failed task stops the host; handlers notified until then still run unless
 * {@link RunOptions#forceHandlers()} is off. Whatever a task or fact throws fails that task on this
 * host alone; the message names the exception.
 */
public final class HostRun {

    private final Host host;
    private final Optional<String> stage;
    /** The host as listeners are told about it: with its stage in a deployment. */
    private final String label;
    private final Definition definition;
    private final Connection connection;
    private final RunOptions options;
    private final RunListener listener;
    private final FactGatherer gatherer;
    private final Applier applier;
    private final List<TaskResult> results = new ArrayList<>();

    public HostRun(Host host, Definition definition, Connection connection, RunOptions options, RunListener listener) {
        this(host, Optional.empty(), definition, connection, options, listener);
    }

    /** The run of one deployment stage (the role {@code stage}) on the host. */
    public HostRun(Host host, Optional<String> stage, Definition definition, Connection connection, RunOptions options,
                   RunListener listener) {
        this.host = host;
        this.stage = stage;
        this.label = HostReport.label(host.name(), stage);
        this.definition = definition;
        this.connection = connection;
        this.options = options;
        this.listener = listener;
        this.gatherer = new FactGatherer(connection, options.commandTimeout());
        this.applier = new Applier(connection, options.commandTimeout());
    }

    /** A step, or a notified handler, as the run loop sees it. */
    private record Turn(StepEntry step, boolean handler) {
        String name() {
            return step.name();
        }

        Task task() {
            return step.task();
        }

        Optional<Fact<Boolean>> condition() {
            return step.condition();
        }

        List<Handler> notifies() {
            return step.notifies();
        }
    }

    /** Runs the notified handlers in declaration order and forgets them; returns true if one failed. */
    private boolean runHandlers(Set<Handler> notified) {
        List<Entry> handlers = definition.handlers().stream().filter(notified::contains)
                .<Entry>map(handler -> new StepEntry(handler.name(), handler.task(), Optional.empty(), List.of())).toList();
        notified.clear();
        return runAll(handlers, true, new LinkedHashSet<>());
    }

    public HostReport run() {
        long started = System.nanoTime();
        int roundTripsBefore = connection.roundTrips();
        listener.hostStarted(label);
        Set<Handler> notified = new LinkedHashSet<>();
        boolean failed = runAll(definition.entries(), false, notified);
        if (!failed || options.forceHandlers()) {
            runHandlers(notified);
        }
        HostReport report = new HostReport(host.name(), stage, results, Optional.empty(), Optional.empty(),
                connection.roundTrips() - roundTripsBefore, Duration.ofNanos(System.nanoTime() - started));
        listener.hostFinished(report);
        return report;
    }

    /** Runs the entries in order until one fails; returns true if one failed. */
    private boolean runAll(List<Entry> entries, boolean handlers, Set<Handler> notified) {
        GatheredFacts facts = null;
        for (int i = 0; i < entries.size(); i++) {
            if (!(entries.get(i) instanceof StepEntry step)) {
                if (notified.isEmpty()) {
                    continue;
                }
                if (runHandlers(notified)) {
                    return true;
                }
                if (!options.check()) {
                    facts = null;
                }
                continue;
            }
            Turn item = new Turn(step, handlers);
            listener.taskStarted(label, item.name());
            long started = System.nanoTime();
            TaskResult result;
            try {
                if (facts == null) {
                    facts = gatherer.gather(factsOf(entries.subList(i, entries.size())));
                }
                result = runStep(item, facts, started);
            } catch (ConnectionException e) {
                result = failed(item, e.getMessage(), started);
            } catch (RuntimeException | Error e) {
                result = failed(item, unexpected(e), started);
            }
            results.add(result);
            listener.taskFinished(label, result);
            if (result.status() == Status.CHANGED) {
                notified.addAll(item.notifies());
                if (!options.check()) {
                    facts = null;
                }
            }
            if (result.status() == Status.FAILED) {
                return true;
            }
        }
        return false;
    }

    private static List<Fact<?>> factsOf(List<Entry> entries) {
        List<Fact<?>> facts = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry instanceof StepEntry step) {
                step.condition().ifPresent(facts::add);
                facts.addAll(step.task().facts());
            }
        }
        return facts;
    }

    private TaskResult runStep(Turn item, GatheredFacts facts, long started) {
        Optional<Plan> planned;
        try {
            planned = item.condition().isPresent() && !facts.get(item.condition().get())
                    ? Optional.empty()
                    : Optional.of(Planner.plan(item.task(), facts));
        } catch (RuntimeException e) {
            return failed(item, e.getMessage(), started);
        }
        if (planned.isEmpty()) {
            return result(item, Status.SKIPPED, Plan.ok(), Optional.of("condition not met"), started);
        }
        Plan plan = planned.get();
        if (plan.failed()) {
            return result(item, Status.FAILED, Plan.ok(), plan.failure(), started);
        }
        if (plan.changes().isEmpty()) {
            return result(item, Status.OK, plan, Optional.empty(), started);
        }
        if (!options.check()) {
            CommandResult outcome = applier.apply(plan);
            if (!outcome.succeeded()) {
                return result(item, Status.FAILED, plan, Optional.of("exit " + outcome.exitCode() + ": " + outcome.errorText()), started);
            }
        }
        return result(item, Status.CHANGED, plan, Optional.empty(), started);
    }

    private TaskResult failed(Turn item, String message, long started) {
        return result(item, Status.FAILED, Plan.ok(), Optional.of(message), started);
    }

    private TaskResult result(Turn item, Status status, Plan plan, Optional<String> message, long started) {
        return new TaskResult(item.name(), resource(item.task()), status, plan.changes().stream().map(Change::summary).toList(),
                options.diff() ? plan.changes().stream().map(Change::diff).flatMap(Optional::stream).toList() : List.of(),
                message, Duration.ofNanos(System.nanoTime() - started), item.handler());
    }

    /** What the task manages; a task whose description throws is still reported, by its class. */
    private static String resource(Task task) {
        try {
            return task.describe();
        } catch (RuntimeException e) {
            return task.getClass().getName() + " (its description failed: " + unexpected(e) + ")";
        }
    }

    /**
     * What the user sees of an exception nobody expected: its type, its message and where it was
     * thrown. A JVM that is out of memory or broken cannot go on with any host, so that is thrown on.
     */
    static String unexpected(Throwable e) {
        if (e instanceof VirtualMachineError fatal && !(e instanceof StackOverflowError)) {
            throw fatal;
        }
        StackTraceElement[] trace = e.getStackTrace();
        return "unexpected " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + (trace.length == 0 ? "" : " (at " + trace[0] + ")");
    }
}
