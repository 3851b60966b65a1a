package dev.provision.engine.connect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one round trip sends: commands that run one after the other, then read-only commands (facts)
 * that a shell may run side by side, and how long each may take. A batch that {@link #closes} is the
 * session's last words: its commands go out with the end of the session, nobody awaits their
 * answers, and the connection is closed after them (the host lock is released this way).
 *
 * @param inOrder  commands run one after the other, each in its own subshell
 * @param readOnly commands that only read the host, run after {@code inOrder}
 */
public record Batch(List<String> inOrder, List<String> readOnly, Duration timeout, boolean closes) {

    public Batch {
        inOrder = List.copyOf(inOrder);
        readOnly = List.copyOf(readOnly);
    }

    public static Batch of(List<String> commands, Duration timeout) {
        return new Batch(commands, List.of(), timeout, false);
    }

    public static Batch readOnly(List<String> commands, Duration timeout) {
        return new Batch(List.of(), commands, timeout, false);
    }

    /** The end of the session, with commands sent on the way out; nothing is awaited. */
    public static Batch closing(List<String> lastWords) {
        return new Batch(lastWords, List.of(), Duration.ZERO, true);
    }

    /** This batch with {@code command} run first, on its own, in the same round trip. */
    public Batch after(String command) {
        List<String> first = new ArrayList<>(inOrder.size() + 1);
        first.add(command);
        first.addAll(inOrder);
        return new Batch(first, readOnly, timeout, closes);
    }

    /** Every command, in the order their results come back. */
    public List<String> commands() {
        return Stream.concat(inOrder.stream(), readOnly.stream()).toList();
    }

    public boolean isEmpty() {
        return inOrder.isEmpty() && readOnly.isEmpty();
    }
}
