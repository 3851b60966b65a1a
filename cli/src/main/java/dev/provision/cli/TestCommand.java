package dev.provision.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.provision.cli.DemoContainers.CheckOutcome;
import dev.provision.cli.DemoContainers.DemoContainer;
import dev.provision.dsl.Playbook;
import dev.provision.dsl.Verifiable;
import dev.provision.engine.HostTarget;
import dev.provision.engine.RunOptions;
import dev.provision.engine.inventory.Inventory;
import dev.provision.engine.inventory.InventoryException;
import dev.provision.engine.inventory.PlaybookLoader;
import dev.provision.engine.report.JsonReport;
import dev.provision.engine.report.RunReport;
import dev.provision.engine.report.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code provision test [HOST...]}: each host's playbook on a throwaway Debian container of its own, the way Molecule
 * tests a role: converge, apply again to see that nothing changes, run the playbook's own checks
 * ({@link Verifiable}), remove the container.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Test each host's playbook on a throwaway Debian container (systemd and sshd; needs Docker): apply it,"
                + " apply it again (the second run must change nothing), run the playbook's verify method if it implements"
                + " dev.provision.dsl.Verifiable, and remove the container. The hosts themselves are never touched: only their"
                + " playbooks and variables are taken from the inventory.",
                "The container's suite: --suite, else the host variable test_suite, else bookworm.", PlaybookCommand.SOURCES},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every host's test passed", "1:a test failed: a task failed, the second run changed something, or a check"
                + " failed", "3:a container could not be reached over SSH", "4:usage, inventory or playbook error, or no container"
                + " could be started (no Docker engine, no provision-demo.jar): nothing was tested"})
final class TestCommand implements Callable<Integer> {

    static final String SUITE_VARIABLE = "test_suite";
    static final String DEFAULT_SUITE = "bookworm";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "HOST", arity = "0..*", description = "Hosts whose playbooks to test: names, groups, globs or all (default: all).")
    List<String> hosts = new ArrayList<>(List.of("all"));

    @Mixin
    InventoryOption inventory;

    @Option(names = "--suite", paramLabel = "SUITE", description = "The containers' Debian suite for every host: bookworm or sid.")
    String suite;

    @Option(names = "--keep", description = "Keep each container after its test, and show how to ssh into it, until Enter is pressed.")
    boolean keep;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the outcome as JSON to FILE: per host its suite, whether it"
            + " passed, where it failed, both runs (as apply --json writes them) and every check.")
    Path json;

    @Option(names = "-v", description = "More output, as for apply (-v, -vv).")
    boolean[] verbose = new boolean[0];

    TestCommand(CliContext context) {
        this.context = context;
    }

    /** Where a host's test ended. */
    enum Stage { CONVERGE, IDEMPOTENCE, VERIFY }

    /** One host's test. {@code failedAt} is empty when it passed. */
    private record Outcome(String host, String suite, String container, Optional<Stage> failedAt, String reason, boolean unreachable,
                           List<RunReport> runs, List<CheckOutcome> checks) {
    }

    @Override
    public Integer call() throws IOException {
        if (suite != null && !DemoContainers.SUITES.contains(suite)) {
            throw new ParameterException(spec.commandLine(), "--suite must be one of " + String.join(", ", DemoContainers.SUITES) + ", not " + suite);
        }
        Inventory loaded = inventory.load(context);
        PlaybookLoader playbooks = CompiledPlaybooks.of(context).beside(loaded.file());
        Map<HostTarget, String> suites = new LinkedHashMap<>();
        loaded.select(hosts).forEach(host -> suites.put(loaded.target(host, playbooks), suiteOf(host.name(), host.vars())));
        Optional<DemoContainers> containers = DemoContainers.loadOrExplain(context);
        if (containers.isEmpty()) {
            return ExitCodes.USAGE;
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Map.Entry<HostTarget, String> entry : suites.entrySet()) {
            DemoContainer container;
            try {
                container = containers.get().start(entry.getValue());
            } catch (RuntimeException e) {
                context.err().println("provision: cannot start a Debian " + entry.getValue() + " container: " + context.masking().mask(e.getMessage()));
                return ExitCodes.USAGE;
            }
            try {
                outcomes.add(test(entry.getKey(), entry.getValue(), container));
            } finally {
                release(container);
            }
        }
        summary(outcomes);
        if (json != null) {
            Files.writeString(json, context.masking().mask(JSON.writeValueAsString(report(outcomes))) + "\n", StandardCharsets.UTF_8);
        }
        if (outcomes.stream().anyMatch(outcome -> outcome.failedAt().isPresent() && !outcome.unreachable())) {
            return ExitCodes.TASK_FAILED;
        }
        return outcomes.stream().anyMatch(Outcome::unreachable) ? ExitCodes.UNREACHABLE : ExitCodes.OK;
    }

    private String suiteOf(String host, Map<String, Object> vars) {
        if (suite != null) {
            return suite;
        }
        String given = String.valueOf(vars.getOrDefault(SUITE_VARIABLE, DEFAULT_SUITE));
        if (!DemoContainers.SUITES.contains(given)) {
            throw new InventoryException("host " + host + ": " + SUITE_VARIABLE + " must be one of " + String.join(", ", DemoContainers.SUITES)
                    + ", not " + given + " (in " + inventory.file + ")");
        }
        return given;
    }

    private Outcome test(HostTarget inventoryTarget, String suite, DemoContainer container) {
        String host = inventoryTarget.host().name();
        HostTarget target = new HostTarget(inventoryTarget.host(), container.connection(), inventoryTarget.playbook());
        Playbook playbook = target.playbook().get();
        Runner runner = new Runner(context);
        int verbosity = verbose.length;
        context.out().printf("Test of %s: %s on a fresh Debian %s container (%s)%n%nConverge: the first apply.%n", host,
                playbook.getClass().getName(), suite, container.name());
        RunReport first = runner.run(List.of(target), RunOptions.apply(), verbosity);
        if (!first.succeeded()) {
            return failed(host, suite, container, Stage.CONVERGE, first.anyUnreachable() ? "the container was unreachable"
                    : "the first apply failed: " + failedTasks(first), first.anyUnreachable(), List.of(first), List.of());
        }
        context.out().printf("%nIdempotence: the same playbook again; it must change nothing.%n");
        RunReport second = runner.run(List.of(target), RunOptions.apply().withDiff(true), verbosity);
        List<RunReport> runs = List.of(first, second);
        if (!second.succeeded()) {
            return failed(host, suite, container, Stage.IDEMPOTENCE, "the second apply failed: " + failedTasks(second),
                    second.anyUnreachable(), runs, List.of());
        }
        if (second.changed() > 0) {
            return failed(host, suite, container, Stage.IDEMPOTENCE, "not idempotent: the second run changed " + tasks(second, Status.CHANGED),
                    false, runs, List.of());
        }
        context.out().printf("%nVerify: %s%n", playbook instanceof Verifiable ? "the playbook's own checks."
                : playbook.getClass().getSimpleName() + " has no checks (implement " + Verifiable.class.getName() + " to add them).");
        List<CheckOutcome> checks;
        try {
            checks = playbook instanceof Verifiable verifiable
                    ? container.checks().verify(target.host(), verifiable, this::printCheck)
                    : List.of();
        } catch (RuntimeException e) {
            return failed(host, suite, container, Stage.VERIFY, "verify broke off: " + e, false, runs, List.of());
        }
        List<String> failures = checks.stream().filter(check -> check.failure().isPresent()).map(CheckOutcome::check).toList();
        if (!failures.isEmpty()) {
            return failed(host, suite, container, Stage.VERIFY, failures.size() + " check(s) failed: " + String.join("; ", failures),
                    false, runs, checks);
        }
        return new Outcome(host, suite, container.name(), Optional.empty(), "", false, runs, checks);
    }

    private Outcome failed(String host, String suite, DemoContainer container, Stage stage, String reason, boolean unreachable,
                           List<RunReport> runs, List<CheckOutcome> checks) {
        return new Outcome(host, suite, container.name(), Optional.of(stage), reason, unreachable, runs, checks);
    }

    private void printCheck(CheckOutcome check) {
        String line = check.failure().map(failure -> "failed:  " + check.check() + "\n         " + failure.replace("\n", "\n         "))
                .orElse("ok:      " + check.check());
        context.out().println(context.masking().mask(line));
    }

    private void release(DemoContainer container) throws IOException {
        try {
            if (keep) {
                container.keepUntilEnter(context.out());
            }
        } finally {
            container.close();
        }
    }

    private void summary(List<Outcome> outcomes) {
        context.out().printf("%nTest recap%n");
        for (Outcome outcome : outcomes) {
            context.out().println(context.masking().mask(outcome.failedAt()
                    .map(stage -> String.format("  %-20s FAILED at %s: %s", outcome.host(), stage.name().toLowerCase(Locale.ROOT), outcome.reason()))
                    .orElse(String.format("  %-20s passed (Debian %s: converged, idempotent, %d check(s) passed)", outcome.host(),
                            outcome.suite(), outcome.checks().size()))));
        }
    }

    private static String failedTasks(RunReport report) {
        String failed = tasks(report, Status.FAILED);
        return failed.isEmpty() ? report.hosts().stream().flatMap(host -> host.failure().stream()).collect(Collectors.joining("; ")) : failed;
    }

    private static String tasks(RunReport report, Status status) {
        return report.hosts().stream().flatMap(host -> host.results().stream()).filter(result -> result.status() == status)
                .map(result -> "\"" + result.name() + "\"").collect(Collectors.joining(", "));
    }

    private Map<String, Object> report(List<Outcome> outcomes) throws IOException {
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            Map<String, Object> host = new LinkedHashMap<>();
            host.put("host", outcome.host());
            host.put("suite", outcome.suite());
            host.put("container", outcome.container());
            host.put("passed", outcome.failedAt().isEmpty());
            host.put("failed_at", outcome.failedAt().map(stage -> stage.name().toLowerCase(Locale.ROOT)).orElse(null));
            host.put("reason", outcome.failedAt().isPresent() ? outcome.reason() : null);
            List<Object> runs = new ArrayList<>();
            for (RunReport run : outcome.runs()) {
                runs.add(JSON.readTree(JsonReport.render(run, context.masking())));
            }
            host.put("runs", runs);
            host.put("checks", outcome.checks().stream().map(check -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("check", check.check());
                entry.put("passed", check.failure().isEmpty());
                entry.put("failure", check.failure().orElse(null));
                return entry;
            }).toList());
            hosts.add(host);
        }
        return Map.of("passed", outcomes.stream().allMatch(outcome -> outcome.failedAt().isEmpty()), "hosts", hosts);
    }
}
