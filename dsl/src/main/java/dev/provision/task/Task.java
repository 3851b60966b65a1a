package dev.provision.task;

import java.util.List;

/**
 * The contract every task fulfils. A task says which facts it needs, and turns those facts into a
 * plan: the changes that would bring the host to the desired state, each with the shell script
 * that makes it. The engine gathers the facts of all tasks in one batch, plans, and in apply mode
 * runs exactly the planned scripts; in check mode it stops after planning.
 *
 * <p>{@link #plan} must be pure: no I/O, no side effects, the same plan for the same facts.
 */
public interface Task {

    /** The resource this task manages, e.g. {@code package redis-server} or {@code file /etc/x}. */
    String describe();

    /** The facts {@link #plan} will ask for. */
    List<Fact<?>> facts();

    /** Desired state versus the facts: empty when the host already matches. */
    Plan plan(Facts facts);
}
