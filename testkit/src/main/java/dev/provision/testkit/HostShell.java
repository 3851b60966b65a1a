package dev.provision.testkit;

import dev.provision.task.CommandResult;
import dev.provision.testbed.DebianHost;

import java.util.function.Function;

/**
 * A host the checks look at: its name for messages, and how to run {@code sh -c COMMAND} on it as root.
 *
 * @param exec runs a shell command on the host and returns what it left
 */
public record HostShell(String name, Function<String, CommandResult> exec) {

    /** A test container, reached through {@code docker exec}. */
    public static HostShell of(DebianHost host) {
        return new HostShell(host.hostname(), command -> {
            DebianHost.ExecResult result = host.exec(command);
            return new CommandResult(result.exitCode(), result.stdout(), result.stderr());
        });
    }

    CommandResult run(String command) {
        return exec.apply(command);
    }

    @Override
    public String toString() {
        return name;
    }
}
