package dev.provision.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A task placed in a playbook: its name, the handlers it notifies when it changes, and its condition. */
public final class Step {

    private final String name;
    private final Task task;
    private final List<Handler> notifies = new ArrayList<>();
    private Fact<Boolean> condition;
    private final boolean flushesHandlers;

    Step(String name, Task task) {
        this(name, task, false);
    }

    private Step(String name, Task task, boolean flushesHandlers) {
        this.name = Objects.requireNonNull(name, "name");
        this.task = Objects.requireNonNull(task, "task");
        this.flushesHandlers = flushesHandlers;
    }

    static Step flushHandlers(String name) {
        return new Step(name, Nothing.INSTANCE, true);
    }

    /** A point in the playbook where the handlers notified so far run, instead of at the end. */
    public boolean flushesHandlers() {
        return flushesHandlers;
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

    public String name() {
        return name;
    }

    public Task task() {
        return task;
    }

    public List<Handler> notified() {
        return List.copyOf(notifies);
    }

    public Optional<Fact<Boolean>> condition() {
        return Optional.ofNullable(condition);
    }
}

/** The task of a handler flush: the engine runs the handlers, the step itself does nothing. */
enum Nothing implements Task {
    INSTANCE;

    @Override
    public String describe() {
        return "notified handlers";
    }

    @Override
    public java.util.List<Fact<?>> facts() {
        return java.util.List.of();
    }

    @Override
    public Plan plan(Facts facts) {
        return Plan.ok();
    }
}
