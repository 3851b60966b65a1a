package dev.provision.dsl;

import dev.provision.task.Task;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A playbook written as a lambda, for tests and one-off scripts:
 * {@code InlinePlaybook.of(p -> p.step("nginx", Apt.present("nginx")))}.
 */
public final class InlinePlaybook extends Playbook {

    private final BiConsumer<InlinePlaybook, Host> body;

    private InlinePlaybook(BiConsumer<InlinePlaybook, Host> body) {
        this.body = body;
    }

    public static InlinePlaybook of(Consumer<InlinePlaybook> body) {
        return new InlinePlaybook((playbook, host) -> body.accept(playbook));
    }

    /** For bodies that read the host's variables. */
    public static InlinePlaybook forHost(BiConsumer<InlinePlaybook, Host> body) {
        return new InlinePlaybook(body);
    }

    @Override
    protected void define(Host host) {
        body.accept(this, host);
    }

    @Override
    public Step step(String name, Task task) {
        return super.step(name, task);
    }

    @Override
    public Handler handler(String name, Task task) {
        return super.handler(name, task);
    }

    @Override
    public void flushHandlers() {
        super.flushHandlers();
    }
}
