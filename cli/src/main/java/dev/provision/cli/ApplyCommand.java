package dev.provision.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;

/** {@code provision apply HOST...}. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Bring hosts to the state their playbooks describe: gather facts, plan, change what differs, run notified handlers.",
                PlaybookCommand.SOURCES})
final class ApplyCommand extends PlaybookCommand {

    @Option(names = "--check", description = "Change nothing: report what apply would change.")
    boolean check;

    @Option(names = "--diff", description = "Show the diff of every file content that changes (secrets masked).")
    boolean diff;

    ApplyCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        return execute(check, diff);
    }
}
