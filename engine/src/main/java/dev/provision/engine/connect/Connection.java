package dev.provision.engine.connect;

import dev.provision.dsl.CommandResult;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A host's persistent shell. Every fact and change of a run goes through the one shell a
 * connection keeps open, framed so that each command's exit code, stdout and stderr come back
 * separately. Sending several commands at once costs one round trip.
 */
public interface Connection extends AutoCloseable {

    /**
     * Runs the commands one after the other in the remote shell, each in its own subshell, and
     * returns their results in order. All commands are sent before any result is read: one round
     * trip however many commands there are.
     *
     * @throws ConnectionException when the shell is gone or a command outlives {@code timeout}
     */
    List<CommandResult> run(List<String> commands, Duration timeout);

    default CommandResult run(String command, Duration timeout) {
        return run(List.of(command), timeout).get(0);
    }

    /**
     * Receives each command as {@code Redaction.forDisplay} shows it, with its exit code (for -vv).
     * Connections that run no real commands, such as test fakes, may ignore it.
     */
    default void logCommands(Consumer<String> logger) {
    }

    /** How many times {@link #run} has been called: the number of round trips so far. */
    int roundTrips();

    /** For messages: {@code root@db1:22} or {@code local}. */
    String describe();

    @Override
    void close();
}
