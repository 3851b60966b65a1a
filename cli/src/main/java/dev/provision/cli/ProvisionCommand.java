package dev.provision.cli;

import dev.provision.engine.PlaybookRejectedException;
import dev.provision.engine.inventory.InventoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.StringWriter;

/** {@code provision}: the top command; the work is done by its subcommands. */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = "Brings hosts to the state their playbooks describe, idempotently, over SSH.",
        subcommands = {ApplyCommand.class, PlanCommand.class, FactsCommand.class, HostsCommand.class, InitCommand.class, DemoCommand.class,
                TestCommand.class, CompletionCommand.class})
public final class ProvisionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The command line with every command set up the same way: exit codes, version, error handling, output streams. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine commandLine = new CommandLine(new ProvisionCommand(), new Factory(context));
        configure(commandLine);
        commandLine.setOut(new PrintWriter(context.out(), true));
        commandLine.setErr(new PrintWriter(context.err(), true));
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        commandLine.setExecutionStrategy(parseResult -> context.masking().watching(() -> runLast.execute(parseResult)));
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            if (exception instanceof InventoryException || exception instanceof PlaybookSourceException
                    || exception instanceof PlaybookRejectedException) {
                command.getErr().println("provision: " + context.masking().mask(exception.getMessage()));
                return ExitCodes.USAGE;
            }
            StringWriter trace = new StringWriter();
            exception.printStackTrace(new PrintWriter(trace));
            command.getErr().print("provision: unexpected error: " + context.masking().mask(trace.toString()));
            return ExitCodes.TASK_FAILED;
        });
        return commandLine;
    }

    private static void configure(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        spec.exitCodeOnInvalidInput(ExitCodes.USAGE);
        spec.versionProvider(() -> new String[] {"provision " + version()});
        if (spec.usageMessage().exitCodeList().isEmpty()) { // a command whose codes mean more says so itself
            spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.help());
        }
        command.getSubcommands().values().forEach(ProvisionCommand::configure);
    }

    static String version() {
        String version = ProvisionCommand.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }

    /** Creates the commands with the context; picocli's own classes the usual way. */
    private record Factory(CliContext context) implements CommandLine.IFactory {

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getDeclaredConstructor(CliContext.class).newInstance(context);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
