package dev.provision.engine.report;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything that happened on one host, or in a deployment on one host in one stage.
 *
 * @param stage       the deployment role it ran, if any
 * @param unreachable set when the host could not be connected to (no task ran)
 * @param failure     set when the host's run broke off outside any task (an error in the engine or
 *                    in what a playbook handed it); the tasks that ran before are still reported
 * @param roundTrips  remote round trips the run needed, connection set-up excluded
 */
public record HostReport(String host, Optional<String> stage, List<TaskResult> results, Optional<String> unreachable,
                         Optional<String> failure, int roundTrips, Duration duration) {

    public HostReport {
        results = List.copyOf(results);
    }

    public HostReport(String host, List<TaskResult> results, Optional<String> unreachable, Optional<String> failure, int roundTrips,
                      Duration duration) {
        this(host, Optional.empty(), results, unreachable, failure, roundTrips, duration);
    }

    /** How the host is shown: {@code app1}, or {@code app1 [main]} in a deployment's stage. */
    public String label() {
        return label(host, stage);
    }

    public static String label(String host, Optional<String> stage) {
        return stage.map(role -> host + " [" + role + "]").orElse(host);
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
