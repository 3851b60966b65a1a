package dev.provision.engine.report;

import dev.provision.task.Diff;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Task results and reports for the formatting tests. */
final class Results {

    private Results() {
    }

    static TaskResult task(String name, Status status) {
        return new TaskResult(name, "resource " + name, status, List.of(), List.of(), Optional.empty(), Duration.ofMillis(20), false);
    }

    static TaskResult changed(String name, String change, Diff diff) {
        return new TaskResult(name, "file " + diff.path(), Status.CHANGED, List.of(change), List.of(diff), Optional.empty(),
                Duration.ofMillis(2500), false);
    }

    static TaskResult failed(String name, String message) {
        return new TaskResult(name, "resource " + name, Status.FAILED, List.of(), List.of(), Optional.of(message), Duration.ofMillis(20), false);
    }

    static HostReport host(String name, TaskResult... results) {
        return new HostReport(name, List.of(results), Optional.empty(), Optional.empty(), 2, Duration.ofSeconds(3));
    }

    static HostReport unreachable(String name, String reason) {
        return new HostReport(name, List.of(), Optional.of(reason), Optional.empty(), 0, Duration.ZERO);
    }
}
