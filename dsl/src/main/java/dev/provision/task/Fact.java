package dev.provision.task;

import java.util.Optional;
import java.util.function.Function;

/**
 * Something a task needs to know about a host: a read-only POSIX shell command and a parser for
 * what it prints. The engine sends the facts of every task in one batch over the host's shell, so
 * a fact must never change the host. Two facts with the same command are gathered once.
 */
public interface Fact<T> {

    /** A read-only POSIX sh command. Its exit code is part of the answer, not an error. */
    String command();

    /** Turns the command's output into the fact's value; throws {@link FactException} on output it does not understand. */
    T parse(CommandResult result);

    /** The kind this fact can be gathered with, and its argument there; empty for a fact that always runs alone. */
    default Optional<Batched<?>> batch() {
        return Optional.empty();
    }

    /** A fact's place in a {@link FactBatch}. */
    record Batched<A>(FactBatch<A> kind, A argument) {
    }

    static <T> Fact<T> of(String command, Function<CommandResult, T> parser) {
        return new CommandFact<>(command, parser, Optional.empty());
    }

    /**
     * A fact that runs {@code command} when alone and joins the other facts of {@code kind} otherwise;
     * the parser reads either answer.
     */
    static <T, A> Fact<T> batched(FactBatch<A> kind, A argument, String command, Function<CommandResult, T> parser) {
        return new CommandFact<>(command, parser, Optional.of(new Batched<>(kind, argument)));
    }

    /** True when the command exits 0, e.g. {@code test -e /etc/foo}. */
    static Fact<Boolean> succeeds(String command) {
        return of(command, CommandResult::succeeded);
    }
}
