package dev.provision.dsl;

import java.util.ArrayList;
import java.util.List;

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

    private final List<Step> steps = new ArrayList<>();
    private final List<Handler> handlers = new ArrayList<>();

    /** Declares the steps and handlers for this host. */
    protected abstract void define(Host host);

    protected Step step(String name, Task task) {
        Step step = new Step(name, task);
        steps.add(step);
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
        steps.add(Step.flushHandlers("run notified handlers"));
    }

    /** Includes another playbook's steps and handlers here, e.g. a shared base role. */
    protected final void include(Playbook other, Host host) {
        Definition definition = other.definition(host);
        steps.addAll(definition.steps());
        handlers.addAll(definition.handlers());
    }

    /** The steps and handlers for a host. Call once per instance. */
    public final Definition definition(Host host) {
        if (!steps.isEmpty() || !handlers.isEmpty()) {
            throw new IllegalStateException(getClass().getName() + " was already defined; create one instance per host");
        }
        define(host);
        return new Definition(List.copyOf(steps), List.copyOf(handlers));
    }

    /** What a playbook declared for one host. */
    public record Definition(List<Step> steps, List<Handler> handlers) {
    }
}
