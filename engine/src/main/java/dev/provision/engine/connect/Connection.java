package dev.provision.engine.connect;

import dev.provision.dsl.CommandResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A host's persistent shell. Every fact and change of a run goes through the one shell a
 * connection keeps open, framed so that each command's exit code, stdout and stderr come back
 * separately. Sending several commands at once costs one round trip.
 */
public interface Connection extends AutoCloseable {

    /** How long {@link #closeAfter} waits for its command where it must wait at all. */
    Duration LAST_COMMAND_TIMEOUT = Duration.ofSeconds(10);

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
     * Runs commands that only read the host, such as a batch of facts, in one round trip. Since none
     * of them changes the host, a connection may run them at once rather than one after the other.
     * A connection may send commands of its own in the same round trip (the host lock is taken this
     * way), which it may not do in front of commands that change the host.
     */
    default List<CommandResult> runReadOnly(List<String> commands, Duration timeout) {
        return run(commands, timeout);
    }

    /**
     * Runs {@code first} on its own, then {@code commands} as {@link #runReadOnly} would, in one round
     * trip: the results of {@code first} and then of each command. The host lock is taken this way, so
     * that no fact is read before it is.
     */
    default List<CommandResult> runThenRead(String first, List<String> commands, Duration timeout) {
        List<String> all = new ArrayList<>(commands.size() + 1);
        all.add(first);
        all.addAll(commands);
        return run(all, timeout);
    }

    /**
     * Ends the connection after one last command, whose answer is not awaited where the shell can
     * run it on its way out (releasing the host lock costs no round trip). Best effort: a broken
     * connection just closes.
     */
    default void closeAfter(String command) {
        try {
            run(command, LAST_COMMAND_TIMEOUT);
        } catch (ConnectionException ignored) {
            // the connection is gone; what the command would have cleaned up is found stale later
        } finally {
            close();
        }
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
