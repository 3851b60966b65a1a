package dev.provision.task;

import java.util.List;
import java.util.Optional;

/**
 * A kind of fact that one command can answer for many at once: one {@code find} for every path, one
 * {@code systemctl show} for every unit. On a host where each process costs milliseconds, fifty
 * probes of fifty paths cost fifty times more than one probe of all of them.
 *
 * <p>The engine gathers the facts of one kind together when there are at least two, and hands each
 * fact what its own command would have said. When the combined answer cannot be split (a command
 * failed, the host changed in between), {@link #split} says so and each fact runs alone, as if it had
 * never been batched: batching changes the cost of a fact, never its value.
 *
 * @param <A> what distinguishes one fact of the kind from another: a path, a list of units
 */
public interface FactBatch<A> {

    /** One read-only command answering for all these arguments, in this order. */
    String command(List<A> arguments);

    /**
     * For each argument, in order, a result its fact's own command could have returned (its parser
     * reads the same value from it); empty when this answer cannot be split that way.
     */
    Optional<List<CommandResult>> split(CommandResult result, List<A> arguments);
}
