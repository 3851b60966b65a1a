package dev.provision.dsl;

import dev.provision.task.Task;

/**
 * A task that runs only when a step that notifies it changed something; once per run, after all
 * steps, in the order handlers were declared (so declare them in dependency order).
 */
public record Handler(String name, Task task) {
}
