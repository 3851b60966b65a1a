package dev.provision.dsl;

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

    static <T> Fact<T> of(String command, Function<CommandResult, T> parser) {
        return new Fact<>() {
            @Override public String command() { return command; }
            @Override public T parse(CommandResult result) { return parser.apply(result); }
            @Override public String toString() { return "fact[" + command + "]"; }
        };
    }

    /** True when the command exits 0, e.g. {@code test -e /etc/foo}. */
    static Fact<Boolean> succeeds(String command) {
        return of(command, CommandResult::succeeded);
    }
}
