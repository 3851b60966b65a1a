package dev.provision.it.support;

import dev.provision.dsl.Host;
import dev.provision.dsl.InlinePlaybook;
import dev.provision.dsl.Playbook;
import dev.provision.engine.HostRun;
import dev.provision.engine.RunOptions;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.connect.Connections;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.RunListener;
import dev.provision.engine.report.Status;
import dev.provision.engine.report.TaskResult;
import dev.provision.testbed.DebianHost;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs playbooks against a test container over SSH, as root with the test key and the container's
 * host key in a known_hosts file, the way a user's run would reach a real server.
 *
 * <pre>{@code
 * Converge host = Converge.on(debian);
 * Consumer<InlinePlaybook> nginx = p -> p.step("nginx", Apt.present("nginx"));
 * assertThat(host.apply(nginx).changed()).isPositive();
 * assertThat(host.apply(nginx).changed()).isZero();
 * }</pre>
 */
public final class Converge {

    private final DebianHost host;
    private final Map<String, Object> vars;

    private Converge(DebianHost host, Map<String, Object> vars) {
        this.host = host;
        this.vars = vars;
    }

    public static Converge on(DebianHost host) {
        return new Converge(host, Map.of());
    }

    public Converge withVars(Map<String, Object> vars) {
        return new Converge(host, vars);
    }

    public ConnectionSettings settings() {
        return ConnectionSettings.ssh(host.sshHost(), host.sshPort(), DebianHost.ROOT).toBuilder()
                .identityFiles(List.of(host.privateKeyPath()))
                .knownHosts(List.of(host.knownHostsFile()), false)
                .build();
    }

    public HostReport apply(Consumer<InlinePlaybook> body) {
        return apply(InlinePlaybook.of(body));
    }

    public HostReport check(Consumer<InlinePlaybook> body) {
        return check(InlinePlaybook.of(body));
    }

    public HostReport apply(Playbook playbook) {
        return run(playbook, RunOptions.apply().withDiff(true));
    }

    public HostReport check(Playbook playbook) {
        return run(playbook, RunOptions.checkOnly().withDiff(true));
    }

    public HostReport run(Playbook playbook, RunOptions options) {
        try (Connection connection = Connections.open(settings())) {
            Host target = new Host(host.containerName(), vars);
            HostReport report = new HostRun(target, playbook.definition(target), connection, options, RunListener.NONE).run();
            System.out.println(describe(report));
            return report;
        }
    }

    /** A compact account of a run for test logs: one line per task, failures with their message. */
    public static String describe(HostReport report) {
        return report.results().stream()
                .map(r -> "  " + r.status().label() + ": " + r.name() + (r.changes().isEmpty() ? "" : " " + r.changes())
                        + r.message().map(m -> "\n    " + m.replace("\n", "\n    ")).orElse(""))
                .collect(Collectors.joining("\n", report.host() + " (" + report.roundTrips() + " round trips)\n", ""));
    }

    /** Names of the tasks that ended with the given status. */
    public static List<String> named(HostReport report, Status status) {
        return report.results().stream().filter(r -> r.status() == status).map(TaskResult::name).toList();
    }
}
