package dev.provision.dsl;

import java.util.Objects;

/**
 * A value that must never be printed: not in output, diffs, logs, reports or error messages.
 * Creating a secret registers its value with {@link Redaction}, which every output path of the
 * engine goes through; {@link #toString()} never shows it.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
        Redaction.register(value);
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The clear value, for the script or file that needs it. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return Redaction.MASK;
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
