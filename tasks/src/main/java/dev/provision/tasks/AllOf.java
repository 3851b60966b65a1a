package dev.provision.tasks;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * One resource made of several tasks, such as an nginx site (a file and a link) or an apt
 * repository (a key and a sources file): their facts together, their plans one after the other,
 * each change named after the part it belongs to.
 */
public final class AllOf implements Task {

    private final String description;
    private final List<Task> parts;

    private AllOf(String description, List<Task> parts) {
        this.description = description;
        this.parts = List.copyOf(parts);
    }

    public static AllOf of(String description, Task... parts) {
        return new AllOf(description, List.of(parts));
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public List<Fact<?>> facts() {
        List<Fact<?>> facts = new ArrayList<>();
        parts.forEach(part -> facts.addAll(part.facts()));
        return facts;
    }

    @Override
    public Plan plan(Facts facts) {
        Plan plan = Plan.ok();
        for (Task part : parts) {
            Plan planned = part.plan(facts);
            List<Change> named = planned.changes().stream()
                    .map(change -> new Change(part.describe() + ": " + change.summary(), change.script(), change.diff()))
                    .toList();
            plan = plan.and(new Plan(named, planned.failure()));
        }
        return plan;
    }
}
