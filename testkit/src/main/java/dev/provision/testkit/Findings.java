package dev.provision.testkit;

import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.RunReport;
import dev.provision.engine.report.Status;
import dev.provision.engine.report.TaskResult;
import dev.provision.task.Diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a convergence failure shows: the tasks at fault, each with its resource, its changes and their diffs. */
final class Findings {

    private static final String DETAIL = "\n      ";

    private Findings() {
    }

    /** Why {@code report} did not succeed, a line per host at fault; empty when it did. */
    static Optional<String> faults(RunReport report) {
        List<String> lines = new ArrayList<>();
        for (HostReport host : report.hosts()) {
            String who = prefix(report, host);
            host.unreachable().ifPresent(why -> lines.add("  " + who + "unreachable: " + why));
            host.failure().ifPresent(why -> lines.add("  " + who + why));
            host.results().stream().filter(result -> result.status() == Status.FAILED)
                    .forEach(result -> lines.add(task(report, host, result)));
        }
        return lines.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", lines));
    }

    /** The tasks that ended with {@code status}, with what they changed (or would) and the diffs. */
    static String tasks(RunReport report, Status status) {
        List<String> lines = new ArrayList<>();
        for (HostReport host : report.hosts()) {
            host.results().stream().filter(result -> result.status() == status).forEach(result -> lines.add(task(report, host, result)));
        }
        return String.join("\n", lines);
    }

    /** {@code host: task} for every task that ended with {@code status}: what two runs are compared by. */
    static List<String> named(RunReport report, Status status) {
        return report.hosts().stream().flatMap(host -> host.results().stream().filter(result -> result.status() == status)
                .map(result -> host.host() + ": " + result.name())).toList();
    }

    private static String task(RunReport report, HostReport host, TaskResult result) {
        StringBuilder line = new StringBuilder("  ").append(prefix(report, host)).append(result.status().label()).append(" \"")
                .append(result.name()).append("\" (").append(result.resource()).append(')');
        result.changes().forEach(change -> line.append(DETAIL).append(change));
        result.message().ifPresent(message -> line.append(DETAIL).append(message.replace("\n", DETAIL)));
        for (Diff diff : result.diffs()) {
            line.append(DETAIL).append(diff.unified().strip().replace("\n", DETAIL));
        }
        return line.toString();
    }

    private static String prefix(RunReport report, HostReport host) {
        return report.hosts().size() > 1 ? host.host() + ": " : "";
    }
}
