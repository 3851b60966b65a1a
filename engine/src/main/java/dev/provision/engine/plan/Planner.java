package dev.provision.engine.plan;

import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;

/** Desired versus actual for one task, without touching the host. */
public final class Planner {

    private Planner() {
    }

    /** A task's plan; a task that throws while planning yields a failed plan with its message. */
    public static Plan plan(Task task, Facts facts) {
        try {
            return task.plan(facts);
        } catch (RuntimeException e) {
            return Plan.fail(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
