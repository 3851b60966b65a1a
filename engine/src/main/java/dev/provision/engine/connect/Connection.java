package dev.provision.engine.connect;

import dev.provision.task.CommandResult;

import java.time.Duration;
import java.util.List;

/**
 * A host's persistent shell. Every fact and change of a run goes through the one shell a
 * connection keeps open, framed so that each command's exit code, stdout and stderr come back
 * separately. {@link #send} is the one primitive: a {@link Batch} out, its results back, one round
 * trip however many commands it holds. What a run adds around the shell (the host lock, the command
 * log) are {@link Layer}s of a {@link ConnectionChain}.
 */
public interface Connection extends AutoCloseable {

    /**
     * Sends the batch and returns the results of {@link Batch#commands()} in order; nothing for a
     * batch that {@link Batch#closes}.
     *
     * @throws ConnectionException when the shell is gone or a command outlives the batch's timeout
     */
    List<CommandResult> send(Batch batch);

    /** The commands one after the other, in one round trip. */
    default List<CommandResult> run(List<String> commands, Duration timeout) {
        return send(Batch.of(commands, timeout));
    }

    default CommandResult run(String command, Duration timeout) {
        return run(List.of(command), timeout).get(0);
    }

    /** Commands that only read the host, such as a batch of facts; the shell may run them side by side. */
    default List<CommandResult> runReadOnly(List<String> commands, Duration timeout) {
        return send(Batch.readOnly(commands, timeout));
    }

    /** How many round trips the shell has made. */
    int roundTrips();

    /** For messages: {@code root@db1:22} or {@code local}. */
    String describe();

    /** Ends the connection: a {@link Batch#closing} batch with no last words of its own. Best effort. */
    @Override
    default void close() {
        send(Batch.closing(List.of()));
    }
}
