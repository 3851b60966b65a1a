package dev.provision.engine.apply;

import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.Plan;
import dev.provision.engine.connect.Connection;

import java.time.Duration;

/**
 * Runs exactly the planned changes of one task, in order, in one round trip. The first change
 * that fails stops the rest.
 */
public final class Applier {

    private final Connection connection;
    private final Duration timeout;

    public Applier(Connection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    public CommandResult apply(Plan plan) {
        return connection.run(script(plan), timeout);
    }

    static String script(Plan plan) {
        StringBuilder script = new StringBuilder();
        for (Change change : plan.changes()) {
            script.append("(\n").append(change.script());
            if (!change.script().endsWith("\n")) {
                script.append('\n');
            }
            // not "( ... ) || exit": a subshell on the left of || runs with set -e switched off
            script.append(")\nrc=$?; [ $rc -eq 0 ] || exit $rc\n");
        }
        return script.toString();
    }
}
