package dev.provision.dsl;

import dev.provision.task.Task;

import dev.provision.dsl.engine.Definition;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A playbook: one class per server, or per role of servers. Subclasses declare their steps in
 * {@link #define}, in the order they must run:
 *
 * <pre>{@code
 * public class Cache extends Playbook {
 *     protected void define(Host host) {
 *         Handler restart = handler("restart redis", Systemd.service("redis-server").restarted());
 *         step("install redis", Apt.present("redis-server"));
 *         step("listen on a UNIX socket only", ConfigFile.at("/etc/redis/redis.conf").set("port", "0"))
 *             .notifies(restart);
 *     }
 * }
 * }</pre>
 *
 * The engine creates one instance per host and calls {@link #definition} once, so a playbook may
 * keep per-host state in fields. Playbooks need a public no-argument constructor.
 */
public abstract class Playbook {

    /** Steps are read when the definition is made, after {@link #define} set their conditions and handlers. */
    private final List<Supplier<Definition.Entry>> entries = new ArrayList<>();
    private final List<Handler> handlers = new ArrayList<>();

    /** Declares the steps and handlers for this host. */
    protected abstract void define(Host host);

    protected Step step(String name, Task task) {
        Step step = new Step(name, task);
        entries.add(step::entry);
        return step;
    }

    protected Handler handler(String name, Task task) {
        Handler handler = new Handler(name, task);
        handlers.add(handler);
        return handler;
    }

    /**
     * Runs the handlers notified so far at this point instead of at the end, like Ansible's
     * {@code meta: flush_handlers}: for example one {@code daemon-reload} after the unit files are
     * written and before the services that use them are started. Check mode reports them here too.
     */
    protected void flushHandlers() {
        Definition.FlushHandlers flush = new Definition.FlushHandlers();
        entries.add(() -> flush);
    }

    /** Includes another playbook's steps and handlers here, e.g. a shared base role. */
    protected final void include(Playbook other, Host host) {
        Definition definition = other.definition(host);
        definition.entries().forEach(entry -> entries.add(() -> entry));
        handlers.addAll(definition.handlers());
    }

    /** The steps and handlers for a host. Call once per instance. */
    public final Definition definition(Host host) {
        if (!entries.isEmpty() || !handlers.isEmpty()) {
            throw new IllegalStateException(getClass().getName() + " was already defined; create one instance per host");
        }
        define(host);
        return new Definition(entries.stream().map(Supplier::get).toList(), handlers);
    }
}
