package dev.provision.dsl;

import dev.provision.task.Task;
import dev.provision.task.Fact;

import dev.provision.dsl.engine.Definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A task placed in a playbook: the handlers it notifies when it changes something, and its condition. */
public final class Step {

    private final String name;
    private final Task task;
    private final List<Handler> notifies = new ArrayList<>();
    private Fact<Boolean> condition;

    Step(String name, Task task) {
        this.name = Objects.requireNonNull(name, "name");
        this.task = Objects.requireNonNull(task, "task");
    }

    /** Handlers to run at the end of the run when this step changes the host. */
    public Step notifies(Handler... handlers) {
        notifies.addAll(List.of(handlers));
        return this;
    }

    /** Run the step only when the fact holds on the host; otherwise it is reported skipped. */
    public Step when(Fact<Boolean> condition) {
        this.condition = condition;
        return this;
    }

    Definition.StepEntry entry() {
        return new Definition.StepEntry(name, task, Optional.ofNullable(condition), notifies);
    }
}
