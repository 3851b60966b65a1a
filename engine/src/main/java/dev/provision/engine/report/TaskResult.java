package dev.provision.engine.report;

import dev.provision.task.Diff;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one step or handler on one host.
 *
 * @param name     the step's name as the playbook gave it
 * @param resource what the task manages ({@code Task.describe()})
 * @param changes  summaries of the changes made, or planned in check mode
 * @param diffs    content changes, secrets already masked
 * @param message  why it failed or was skipped
 */
public record TaskResult(String name, String resource, Status status, List<String> changes, List<Diff> diffs,
                         Optional<String> message, Duration duration, boolean handler) {

    public TaskResult {
        changes = List.copyOf(changes);
        diffs = List.copyOf(diffs);
    }
}
