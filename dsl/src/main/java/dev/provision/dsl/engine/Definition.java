package dev.provision.dsl.engine;

import dev.provision.task.Fact;
import dev.provision.dsl.Handler;
import dev.provision.task.Task;

import java.util.List;
import java.util.Optional;

/**
 * What a playbook declared for one host, as the engine reads it: its entries in the order they run,
 * and its handlers in declaration order.
 */
public record Definition(List<Entry> entries, List<Handler> handlers) {

    public Definition {
        entries = List.copyOf(entries);
        handlers = List.copyOf(handlers);
    }

    /** One thing the run does in its turn. */
    public sealed interface Entry permits StepEntry, FlushHandlers {
    }

    /** A task placed in the playbook, with its condition and the handlers it notifies when it changes the host. */
    public record StepEntry(String name, Task task, Optional<Fact<Boolean>> condition, List<Handler> notifies) implements Entry {

        public StepEntry {
            notifies = List.copyOf(notifies);
        }
    }

    /** The point where the handlers notified so far run, instead of at the end. */
    public record FlushHandlers() implements Entry {
    }

    /** The steps alone, without the points where handlers are flushed. */
    public List<StepEntry> steps() {
        return entries.stream().filter(StepEntry.class::isInstance).map(StepEntry.class::cast).toList();
    }
}
