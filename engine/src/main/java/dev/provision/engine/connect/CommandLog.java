package dev.provision.engine.connect;

import dev.provision.task.CommandResult;
import dev.provision.task.Shell;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@code -vv} log: every command that reaches the shell, with its exit code, its here-document
 * payloads hidden ({@link Shell#withoutPayloads}). Lines are handed over as suppliers, so a run that shows no log pays
 * nothing for it; secrets are masked where the lines are printed.
 */
public final class CommandLog implements Layer {

    private final Consumer<Supplier<String>> lines;

    public CommandLog(Consumer<Supplier<String>> lines) {
        this.lines = lines;
    }

    @Override
    public List<CommandResult> send(Batch batch, Chain chain) {
        List<CommandResult> results = chain.proceed(batch);
        List<String> commands = batch.commands();
        if (batch.closes()) {
            commands.forEach(command -> lines.accept(() -> "[at close] " + Shell.withoutPayloads(command)));
        }
        for (int i = 0; i < results.size(); i++) {
            int exitCode = results.get(i).exitCode();
            String command = commands.get(i);
            lines.accept(() -> "[exit " + exitCode + "] " + Shell.withoutPayloads(command));
        }
        return results;
    }
}
