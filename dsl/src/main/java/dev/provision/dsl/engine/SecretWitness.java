package dev.provision.dsl.engine;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Tells a run about the secrets created or revealed on its threads, so that the run, and only that
 * run, masks them. A playbook may create a {@link dev.provision.dsl.Secret} anywhere (from a host variable, a file it
 * reads, a constant); the run cannot find them all by looking, so it watches while it defines and
 * runs playbooks instead. Revealing is the one way a secret's value gets into a script, a file's
 * content or a message, so a secret made before the run is known to it before it can be shown.
 */
public final class SecretWitness {

    private static final ThreadLocal<Consumer<String>> WITNESS = new ThreadLocal<>();

    private SecretWitness() {
    }

    /** Runs {@code body} on this thread with the value of every secret created or revealed meanwhile handed to {@code witness}. */
    public static <T> T watching(Consumer<String> witness, Supplier<T> body) {
        Consumer<String> outer = WITNESS.get();
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

    /** Called by every {@link Secret} with its value as it is made and as it is revealed. */
    public static void seen(String value) {
        Consumer<String> witness = WITNESS.get();
        if (witness != null) {
            witness.accept(value);
        }
    }
}
