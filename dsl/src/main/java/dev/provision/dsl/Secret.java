package dev.provision.dsl;

import dev.provision.dsl.engine.SecretWitness;

import java.util.Objects;

/**
 * A value that must never be printed: not in output, diffs, logs, reports or error messages.
 * {@link #toString()} never shows it, and a run masks its value in everything the run prints or
 * writes: the run knows it from the inventory, the connection settings, and every secret created or
 * revealed while the run defines or runs its playbooks (see {@link SecretWitness}), so also one made
 * before the run, in a constant, once a task of the run puts its value into a script or a file.
 */
public final class Secret {

    /** What a secret value is replaced with wherever it would be shown. */
    public static final String MASK = "********";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
        SecretWitness.seen(value);
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The clear value, for the script or file that needs it; the run doing so masks it from then on. */
    public String reveal() {
        SecretWitness.seen(value);
        return value;
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
