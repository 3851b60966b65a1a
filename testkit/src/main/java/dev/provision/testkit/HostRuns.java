package dev.provision.testkit;

import dev.provision.dsl.Host;
import dev.provision.dsl.InlinePlaybook;
import dev.provision.dsl.Playbook;
import dev.provision.engine.HostTarget;
import dev.provision.engine.Provision;
import dev.provision.engine.RunOptions;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.connect.Connections;
import dev.provision.engine.report.ConsoleReporter;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.Masking;
import dev.provision.engine.report.RunReport;
import dev.provision.engine.report.Status;
import dev.provision.engine.report.TaskResult;
import dev.provision.testbed.DebianHost;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Single runs of a playbook on test hosts, as {@code provision apply} makes them: over SSH as root with the test key,
 * the container's host key in a known_hosts file, the run's secrets masked, each task's line printed as it finishes.
 *
 * <pre>{@code
 * HostRuns runs = HostRuns.on(host).withVars(Map.of("greeting", "Hi"));
 * assertThat(runs.apply(new MyServer()).changed()).isPositive();
 * assertThat(runs.check(new MyServer()).changed()).isZero();
 * }</pre>
 */
public final class HostRuns {

    private final List<DebianHost> hosts;
    private final Map<String, Object> vars;

    private HostRuns(List<DebianHost> hosts, Map<String, Object> vars) {
        this.hosts = List.copyOf(hosts);
        this.vars = Map.copyOf(vars);
    }

    /** Runs on started hosts; with several, each run is one run of them all, side by side. */
    public static HostRuns on(DebianHost... hosts) {
        if (hosts.length == 0) {
            throw new IllegalArgumentException("HostRuns.on needs at least one host");
        }
        return new HostRuns(List.of(hosts), Map.of());
    }

    /** The host variables every playbook gets ({@code host.var(...)}); a {@link dev.provision.dsl.Secret} stays masked. */
    public HostRuns withVars(Map<String, ?> vars) {
        return new HostRuns(hosts, new LinkedHashMap<>(vars));
    }

    Map<String, Object> vars() {
        return vars;
    }

    /** How a run reaches {@code host}: SSH to its published port as root with the test key, its host key known. */
    public static ConnectionSettings settings(DebianHost host) {
        return ConnectionSettings.ssh(host.sshHost(), host.sshPort(), DebianHost.ROOT).toBuilder()
                .identityFiles(List.of(host.privateKeyPath()))
                .knownHosts(List.of(host.knownHostsFile()), false)
                .build();
    }

    /** {@link #settings(DebianHost)} of the only host. */
    public ConnectionSettings settings() {
        return settings(onlyHost());
    }

    public HostReport apply(Consumer<InlinePlaybook> body) {
        return apply(InlinePlaybook.of(body));
    }

    public HostReport check(Consumer<InlinePlaybook> body) {
        return check(InlinePlaybook.of(body));
    }

    /** Applies {@code playbook} to the only host, diffs collected. */
    public HostReport apply(Playbook playbook) {
        return run(playbook, RunOptions.apply().withDiff(true));
    }

    /** Check mode on the only host, diffs collected: what apply would change. */
    public HostReport check(Playbook playbook) {
        return run(playbook, RunOptions.checkOnly().withDiff(true));
    }

    public HostReport run(Playbook playbook, RunOptions options) {
        onlyHost();
        return run(() -> playbook, options).hosts().get(0);
    }

    /** One run of every host, each with a fresh playbook from {@code playbooks}. */
    public RunReport run(Supplier<? extends Playbook> playbooks, RunOptions options) {
        List<HostTarget> targets = hosts.stream()
                .map(host -> new HostTarget(new Host(host.hostname(), vars), settings(host), playbooks)).toList();
        Masking masking = new Masking();
        ConsoleReporter.Options view = new ConsoleReporter.Options(false, false, options.diff(), 0,
                targets.stream().map(target -> target.host().name()).toList());
        try (ConsoleReporter console = new ConsoleReporter(System.out, view, masking)) {
            RunReport report = new Provision(target -> Connections.open(target.connection()), options, console, masking).run(targets);
            console.recap(report);
            return report;
        }
    }

    private DebianHost onlyHost() {
        if (hosts.size() != 1) {
            throw new IllegalStateException("this run is for one host, and there are " + hosts.size() + ": use run(playbooks, options)");
        }
        return hosts.get(0);
    }

    /** A compact account of a run: one line per task, its changes, and failures with their message. */
    public static String describe(HostReport report) {
        return report.results().stream()
                .map(r -> "  " + r.status().label() + ": " + r.name() + (r.changes().isEmpty() ? "" : " " + r.changes())
                        + r.message().map(m -> "\n    " + m.replace("\n", "\n    ")).orElse(""))
                .collect(Collectors.joining("\n", report.host() + " (" + report.roundTrips() + " round trips)\n", ""));
    }

    /** Names of the tasks that ended with {@code status}. */
    public static List<String> named(HostReport report, Status status) {
        return report.results().stream().filter(r -> r.status() == status).map(TaskResult::name).toList();
    }
}
