package dev.provision.testkit;

import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.dsl.Verifiable;
import dev.provision.engine.RunOptions;
import dev.provision.engine.report.RunReport;
import dev.provision.engine.report.Status;
import dev.provision.testbed.DebianHost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The steps of {@link Converge#on}, to take one at a time: {@code Converge.playbook(MyServer::new).cycle(host).converges()},
 * then the test's own looks at the host, then {@code .correctsDrift("rm /etc/app.conf")}.
 */
public final class ConvergenceCycle {

    private final List<DebianHost> hosts;
    private final HostRuns runs;
    private final Supplier<? extends Playbook> playbooks;
    private final String subject;
    private RunReport firstApply;

    ConvergenceCycle(List<DebianHost> hosts, HostRuns runs, Supplier<? extends Playbook> playbooks) {
        this.hosts = hosts;
        this.runs = runs;
        this.playbooks = playbooks;
        this.subject = "[" + nameOf(playbooks.get()) + " on " + hosts.stream().map(DebianHost::hostname).collect(Collectors.joining(", ")) + "] ";
    }

    /** The first apply succeeds and changes something; a second apply changes nothing and check mode plans nothing. */
    public ConvergenceCycle converges() {
        firstApply = apply("the first apply");
        requireSuccess(firstApply, "the first apply");
        if (firstApply.changed() == 0) {
            throw new AssertionError(subject + "\nExpecting the first apply to a fresh host to change something, but every task was"
                    + " already ok: the test cannot see the playbook work.");
        }
        requireNothingToDo("the second apply");
        return this;
    }

    /**
     * Makes a drift with {@code shellCommand} on each host; check reports it and changes nothing, apply corrects exactly
     * that, and the hosts are back to nothing to do.
     */
    public ConvergenceCycle correctsDrift(String shellCommand) {
        return correctsDrift(new Converge.Drift("`" + shellCommand + "`", host -> host.exec(shellCommand).requireSuccess()));
    }

    /** As {@link #correctsDrift(String)}, with a drift the test makes itself. */
    public ConvergenceCycle correctsDrift(Consumer<DebianHost> drift) {
        return correctsDrift(new Converge.Drift("the drift", drift));
    }

    ConvergenceCycle correctsDrift(Converge.Drift drift) {
        hosts.forEach(drift.make());
        String after = "check after " + drift.description();
        RunReport check = check(after);
        requireSuccess(check, after);
        if (check.changed() == 0) {
            throw new AssertionError(subject + "\nExpecting " + after + " to report the drift, but every task was ok: the facts of"
                    + " the tasks do not see what the drift changed.");
        }
        RunReport checkAgain = check("a second check after " + drift.description());
        List<String> reported = Findings.named(check, Status.CHANGED);
        if (!Findings.named(checkAgain, Status.CHANGED).equals(reported)) {
            throw new AssertionError(subject + "\nExpecting a second check after " + drift.description() + " to report what the first"
                    + " did:\n" + Findings.tasks(check, Status.CHANGED) + "\nbut it reported:\n" + Findings.tasks(checkAgain, Status.CHANGED)
                    + "\nCheck mode changed the host.");
        }
        RunReport apply = apply("apply after " + drift.description());
        requireSuccess(apply, "apply after " + drift.description());
        if (!Findings.named(apply, Status.CHANGED).equals(reported)) {
            throw new AssertionError(subject + "\nExpecting apply after " + drift.description() + " to change what check reported:\n"
                    + Findings.tasks(check, Status.CHANGED) + "\nbut it changed:\n" + Findings.tasks(apply, Status.CHANGED)
                    + "\nCheck mode must plan exactly what apply does.");
        }
        requireNothingToDo("the apply after correcting " + drift.description());
        return this;
    }

    /** Each host passes the checks of a {@link Verifiable} playbook; a playbook that is not verifiable passes. */
    public ConvergenceCycle verifies() {
        List<String> failures = new ArrayList<>();
        for (DebianHost host : hosts) {
            if (playbooks.get() instanceof Verifiable verifiable) {
                HostVerify verify = new HostVerify(HostShell.of(host), check -> System.out.println(
                        (check.passed() ? "verified " : "FAILED   ") + host.hostname() + ": " + check.description()));
                verifiable.verify(new Host(host.hostname(), vars()), verify);
                verify.failures().forEach(check -> failures.add("  " + check.description() + ":\n    " + check.failure().orElseThrow()
                        .replace("\n", "\n    ")));
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(subject + "\nExpecting the converged host to pass the playbook's verify, but " + failures.size()
                    + " check(s) failed:\n" + String.join("\n", failures));
        }
        return this;
    }

    /** The report of the first apply, once {@link #converges()} ran. */
    public RunReport firstApply() {
        if (firstApply == null) {
            throw new IllegalStateException("converges() has not run");
        }
        return firstApply;
    }

    private void requireNothingToDo(String what) {
        RunReport again = apply(what);
        requireSuccess(again, what);
        if (again.changed() > 0) {
            throw new AssertionError(subject + "\nExpecting " + what + " to change nothing, but " + again.changed() + " task(s) changed:\n"
                    + Findings.tasks(again, Status.CHANGED) + "\nA task that changes the host on every run is not idempotent: its plan"
                    + " must compare what the host has with what the playbook wants.");
        }
        RunReport check = check("check after " + what);
        requireSuccess(check, "check after " + what);
        if (check.changed() > 0) {
            throw new AssertionError(subject + "\nExpecting check mode after " + what + " to plan nothing, but it plans:\n"
                    + Findings.tasks(check, Status.CHANGED) + "\nCheck mode must plan exactly what apply does.");
        }
    }

    private void requireSuccess(RunReport report, String what) {
        Findings.faults(report).ifPresent(faults -> {
            throw new AssertionError(subject + "\nExpecting " + what + " to succeed, but:\n" + faults);
        });
    }

    private RunReport apply(String what) {
        System.out.println(subject + what);
        return runs.run(playbooks, RunOptions.apply().withDiff(true));
    }

    private RunReport check(String what) {
        System.out.println(subject + what);
        return runs.run(playbooks, RunOptions.checkOnly().withDiff(true));
    }

    private Map<String, Object> vars() {
        return runs.vars();
    }

    private static String nameOf(Playbook playbook) {
        String name = playbook.getClass().getSimpleName();
        return name.equals("InlinePlaybook") ? "the inline playbook" : name;
    }
}
