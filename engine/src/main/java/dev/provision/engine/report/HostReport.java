package dev.provision.engine.report;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything that happened on one host.
 *
 * @param unreachable set when the host could not be connected to (no task ran)
 * @param failure     set when the host's run broke off outside any task (an error in the engine or
 *                    in what a playbook handed it); the tasks that ran before are still reported
 * @param roundTrips  remote round trips the run needed, connection set-up excluded
 */
public record HostReport(String host, List<TaskResult> results, Optional<String> unreachable, Optional<String> failure,
                         int roundTrips, Duration duration) {

    public HostReport {
        results = List.copyOf(results);
    }

    public long count(Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    public long ok() {
        return count(Status.OK);
    }

    public long changed() {
        return count(Status.CHANGED);
    }

    public long failed() {
        return count(Status.FAILED);
    }

    public long skipped() {
        return count(Status.SKIPPED);
    }

    public boolean succeeded() {
        return unreachable.isEmpty() && failure.isEmpty() && failed() == 0;
    }
}
