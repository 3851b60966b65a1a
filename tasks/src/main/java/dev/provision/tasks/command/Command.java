package dev.provision.tasks.command;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.dsl.Secret;
import dev.provision.task.Shell;
import dev.provision.task.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A shell command, run as root by {@code sh}, made idempotent by guards that are read before
 * planning: {@code Command.run("synapse_port_db ...").creates("/var/lib/matrix-synapse/.ported")}.
 *
 * <p>A command that runs is reported changed; one whose guards say it is not needed is reported ok.
 * There is no "changed when" on its output: a plan is made before anything runs, and a check run
 * must say truthfully what apply would do. So say it with a guard instead: the test that would
 * decide "nothing changed" after the run is the {@link #unless} test that makes it not run at all.
 * Guard commands run with the facts, as root, and must not change the host. Without a guard the
 * command runs, and is reported changed, on every run.
 */
public final class Command implements Task {

    private final String command;
    private final List<Guard> guards = new ArrayList<>();
    private Optional<String> user = Optional.empty();
    private Optional<String> directory = Optional.empty();
    private Optional<Secret> input = Optional.empty();

    /** One condition for running, read as a fact: the command runs only when every guard allows it. */
    private record Guard(Fact<Boolean> fact, boolean runWhen) {
    }

    private Command(String command) {
        this.command = command;
    }

    public static Command run(String command) {
        return new Command(command);
    }

    /** Not run when this path exists: the command creates it. */
    public Command creates(String path) {
        return guard(Fact.succeeds("test -e " + Shell.quote(path)), false);
    }

    /** Not run unless this path exists: the command removes it. */
    public Command removes(String path) {
        return guard(Fact.succeeds("test -e " + Shell.quote(path)), true);
    }

    /** Not run when this read-only test command succeeds. */
    public Command unless(String test) {
        return guard(Fact.succeeds(test), false);
    }

    /** Not run unless this read-only test command succeeds. */
    public Command onlyIf(String test) {
        return guard(Fact.succeeds(test), true);
    }

    /** Runs the command as this user (with {@code runuser}; guards still run as root). */
    public Command asUser(String user) {
        this.user = Optional.of(user);
        return this;
    }

    public Command inDirectory(String directory) {
        this.directory = Optional.of(directory);
        return this;
    }

    /** Feeds a secret to the command's stdin, so it never appears in its arguments. */
    public Command input(Secret secret) {
        this.input = Optional.of(secret);
        return this;
    }

    private Command guard(Fact<Boolean> fact, boolean runWhen) {
        guards.add(new Guard(fact, runWhen));
        return this;
    }

    @Override
    public String describe() {
        return "command " + command;
    }

    @Override
    public List<Fact<?>> facts() {
        return guards.stream().<Fact<?>>map(Guard::fact).toList();
    }

    @Override
    public Plan plan(Facts facts) {
        if (guards.stream().anyMatch(guard -> facts.get(guard.fact()) != guard.runWhen())) {
            return Plan.ok();
        }
        return Plan.of(Change.of("run " + command, script()));
    }

    private String script() {
        String cd = directory.map(dir -> "cd " + Shell.quote(dir) + " || exit 1\n").orElse("");
        return cd + input.map(secret -> Shell.pipe(secret.reveal(), asOneCommand())).orElse(user.isPresent() ? asOneCommand() + "\n" : command + "\n");
    }

    /** The command as a single {@code sh -c}, so that all of it, not just its first part, reads the piped input. */
    private String asOneCommand() {
        return user.map(name -> "runuser -u " + Shell.quote(name) + " -- ").orElse("") + "sh -c " + Shell.quote(command);
    }
}
