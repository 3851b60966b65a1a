package dev.provision.cli;

import dev.provision.engine.PlaybookRejectedException;
import dev.provision.engine.inventory.InventoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;

/** {@code provision}: the top command; the work is done by its subcommands. */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = "Brings hosts to the state their playbooks describe, idempotently, over SSH.")
public final class ProvisionCommand implements Runnable {

    private static final List<Class<?>> COMMANDS = List.of(ApplyCommand.class, PlanCommand.class, FactsCommand.class, HostsCommand.class,
            InitCommand.class, DemoCommand.class, TestCommand.class, CompletionCommand.class);
    private static final Set<String> VERSION_OPTIONS = Set.of("-V", "--version");

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * The command line for {@code args} with every command set up the same way: exit codes, version, error
     * handling, output streams. It holds only the commands {@code args} can reach ({@link #commandsFor}).
     */
    public static CommandLine commandLine(CliContext context, String... args) {
        Factory factory = new Factory(context);
        CommandLine commandLine = new CommandLine(new ProvisionCommand(), factory);
        commandsFor(args).forEach(command -> commandLine.addSubcommand(new CommandLine(command, factory)));
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

    /**
     * The commands a run with {@code args} can reach. Picocli reads every option of every command it holds
     * before it parses, a tenth of a second of a run's start, so a run that names its command gets only
     * that one, and {@code --version} none; help, completion, a missing or an unknown command get all.
     */
    static List<Class<?>> commandsFor(String... args) {
        for (String arg : args) {
            if (VERSION_OPTIONS.contains(arg)) {
                continue;
            }
            if (arg.startsWith("-")) {
                return COMMANDS;
            }
            return COMMANDS.stream().filter(command -> !command.equals(CompletionCommand.class)
                    && command.getAnnotation(Command.class).name().equals(arg)).findFirst().map(List::<Class<?>>of).orElse(COMMANDS);
        }
        return args.length == 0 ? COMMANDS : List.of();
    }

    private static void configure(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        spec.exitCodeOnInvalidInput(ExitCodes.USAGE);
        spec.versionProvider(() -> new String[] {"provision " + Main.version()});
        if (spec.usageMessage().exitCodeList().isEmpty()) { // a command whose codes mean more says so itself
            spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.help());
        }
        command.getSubcommands().values().forEach(ProvisionCommand::configure);
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
