package dev.provision.dsl.engine;

import dev.provision.dsl.Secret;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Tells a run about the secrets created on its threads, so that the run, and only that run, masks
 * them. A playbook may create a {@link Secret} anywhere (from a host variable, a file it reads, a
 * literal in a test); the run cannot find them all by looking, so it watches while it defines and
 * runs playbooks instead.
 */
public final class SecretWitness {

    private static final ThreadLocal<Consumer<Secret>> WITNESS = new ThreadLocal<>();

    private SecretWitness() {
    }

    /** Runs {@code body} on this thread with every secret created meanwhile handed to {@code witness}. */
    public static <T> T watching(Consumer<Secret> witness, Supplier<T> body) {
        Consumer<Secret> outer = WITNESS.get();
        WITNESS.set(outer == null ? witness : witness.andThen(outer));
        try {
            return body.get();
        } finally {
            if (outer == null) {
                WITNESS.remove();
            } else {
                WITNESS.set(outer);
            }
        }
    }

    /** Called by every {@link Secret} as it is made. */
    public static void created(Secret secret) {
        Consumer<Secret> witness = WITNESS.get();
        if (witness != null) {
            witness.accept(secret);
        }
    }
}
