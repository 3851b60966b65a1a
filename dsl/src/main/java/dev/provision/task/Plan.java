package dev.provision.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a task would do: nothing, a list of changes, or a failure found while planning (a missing
 * package, a precondition that does not hold). A failure stops the host before anything changes.
 */
public record Plan(List<Change> changes, Optional<String> failure) {

    public Plan {
        changes = List.copyOf(changes);
    }

    public static Plan ok() {
        return new Plan(List.of(), Optional.empty());
    }

    public static Plan of(Change... changes) {
        return new Plan(List.of(changes), Optional.empty());
    }

    public static Plan of(List<Change> changes) {
        return new Plan(changes, Optional.empty());
    }

    public static Plan fail(String message) {
        return new Plan(List.of(), Optional.of(message));
    }

    public boolean isEmpty() {
        return changes.isEmpty() && failure.isEmpty();
    }

    public boolean failed() {
        return failure.isPresent();
    }

    /** This plan followed by another; a failure in either wins. */
    public Plan and(Plan next) {
        List<Change> all = new ArrayList<>(changes);
        all.addAll(next.changes);
        return new Plan(all, failure.or(next::failure));
    }
}
