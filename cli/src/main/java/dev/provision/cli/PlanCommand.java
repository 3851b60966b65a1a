package dev.provision.cli;

import picocli.CommandLine.Command;

import java.io.IOException;

/** {@code provision plan HOST...}: apply --check --diff. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what apply would change, with diffs, and change nothing (apply --check --diff).", PlaybookCommand.SOURCES})
final class PlanCommand extends PlaybookCommand {

    PlanCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        return execute(true, true);
    }
}
