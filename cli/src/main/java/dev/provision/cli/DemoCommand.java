package dev.provision.cli;

import dev.provision.cli.DemoContainers.DemoContainer;
import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.engine.HostTarget;
import dev.provision.engine.RunOptions;
import dev.provision.engine.inventory.PlaybookClasses;
import dev.provision.engine.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code provision demo}: the Synapse playbook (Debian's package, workers staged until Synapse's
 * Redis client is there) applied twice to a throwaway Debian sid container, one of {@link DemoContainers}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a throwaway Debian container (systemd and sshd; needs Docker), apply a playbook to it twice over SSH"
                + " and show that the second run changes nothing; then remove the container.",
                "By default the Synapse-with-workers playbook with Debian's matrix-synapse package on Debian sid (the only suite"
                + " that packages it). Debian lacks txredisapi, so the workers are set up and enabled but wait for it"
                + " (redis_client=stage_workers); give --var txredisapi_source=PATH (a txredisapi checkout) to install it and"
                + " run every worker. The small nginx example: --playbook " + DemoCommand.EXAMPLE_PLAYBOOK + " --suite bookworm."})
final class DemoCommand implements Callable<Integer> {

    static final String DEMO_PLAYBOOK = "dev.provision.playbooks.synapse.SynapseServer";
    static final String EXAMPLE_PLAYBOOK = "dev.provision.playbooks.demo.DemoPlaybook";

    /** What the Synapse playbook needs to run on a throwaway host with nothing but Debian's packages. */
    private static final Map<String, Object> DEMO_VARS = Map.of(
            "server_name", "demo.local",
            "package_source", "debian",
            "redis_client", "stage_workers");

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--playbook", paramLabel = "CLASS", defaultValue = DEMO_PLAYBOOK, description = "The playbook class (default: ${DEFAULT-VALUE}).")
    String playbook;

    @Option(names = "--suite", paramLabel = "SUITE", defaultValue = "sid", description = "The container's Debian suite: bookworm or sid"
            + " (default: ${DEFAULT-VALUE}).")
    String suite;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "A host variable for the playbook; repeatable. The Synapse"
            + " defaults: server_name=demo.local, package_source=debian, redis_client=stage_workers.")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(names = "--keep", description = "Keep the container after the runs, and show how to ssh into it, until Enter is pressed.")
    boolean keep;

    @Option(names = "-v", description = "More output, as for apply (-v, -vv).")
    boolean[] verbose = new boolean[0];

    DemoCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        if (!DemoContainers.SUITES.contains(suite)) {
            throw new ParameterException(spec.commandLine(), "--suite must be one of " + String.join(", ", DemoContainers.SUITES) + ", not " + suite);
        }
        Supplier<Playbook> playbooks = PlaybookClasses.supplier(playbook, "demo", "--playbook");
        Optional<DemoContainers> containers = DemoContainers.loadOrExplain(context);
        if (containers.isEmpty()) {
            return ExitCodes.USAGE;
        }
        DemoContainer container;
        try {
            container = containers.get().start(suite);
        } catch (RuntimeException e) {
            context.err().println("provision: cannot start the demo container: " + context.masking().mask(e.getMessage()));
            return ExitCodes.USAGE;
        }
        try {
            return twoRuns(new HostTarget(new Host(container.name(), hostVars()), container.connection(), playbooks));
        } finally {
            if (keep) {
                container.keepUntilEnter(context.out());
            }
            container.close();
        }
    }

    private int twoRuns(HostTarget target) {
        Runner runner = new Runner(context);
        int verbosity = verbose.length;
        context.out().println("First run: " + playbook + " on a fresh Debian " + suite + " container.");
        RunReport first = runner.run(List.of(target), RunOptions.apply(), verbosity);
        if (!first.succeeded()) {
            return ExitCodes.of(first, false);
        }
        context.out().println();
        context.out().println("Second run: the same playbook again.");
        RunReport second = runner.run(List.of(target), RunOptions.apply(), verbosity);
        context.out().println();
        if (!second.succeeded()) {
            return ExitCodes.of(second, false);
        }
        if (second.changed() > 0) {
            context.out().println("The second run changed " + second.changed() + " task(s): the playbook is not idempotent.");
            return ExitCodes.TASK_FAILED;
        }
        context.out().println("The second run changed nothing: the playbook is idempotent.");
        return ExitCodes.OK;
    }

    private Map<String, Object> hostVars() {
        Map<String, Object> all = new LinkedHashMap<>(playbook.equals(DEMO_PLAYBOOK) ? DEMO_VARS : Map.of());
        all.putAll(vars);
        return all;
    }

}
