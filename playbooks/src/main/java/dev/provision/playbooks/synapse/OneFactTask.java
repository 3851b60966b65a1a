package dev.provision.playbooks.synapse;

import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;

import java.util.List;

/** A task whose plan follows from one fact: a subclass names the fact and says what its value calls for. */
abstract class OneFactTask<T> implements Task {

    private final String description;
    private final Fact<T> fact;

    OneFactTask(String description, Fact<T> fact) {
        this.description = description;
        this.fact = fact;
    }

    @Override
    public final String describe() {
        return description;
    }

    @Override
    public final List<Fact<?>> facts() {
        return List.of(fact);
    }

    @Override
    public final Plan plan(Facts facts) {
        return planFor(facts.get(fact));
    }

    /** The changes, or the failure, that the host's answer calls for; like {@link #plan}, pure. */
    abstract Plan planFor(T value);
}
