package dev.provision.task;

import java.util.Optional;
import java.util.function.Function;

/** A fact made of a command and a parser: what {@link Fact#of} and {@link Fact#batched} build. */
final class CommandFact<T> implements Fact<T> {

    private final String command;
    private final Function<CommandResult, T> parser;
    private final Optional<Batched<?>> batch;

    CommandFact(String command, Function<CommandResult, T> parser, Optional<Batched<?>> batch) {
        this.command = command;
        this.parser = parser;
        this.batch = batch;
    }

    @Override
    public String command() {
        return command;
    }

    @Override
    public T parse(CommandResult result) {
        return parser.apply(result);
    }

    @Override
    public Optional<Batched<?>> batch() {
        return batch;
    }

    @Override
    public String toString() {
        return "fact[" + command + "]";
    }
}
