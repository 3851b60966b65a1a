package dev.provision.tasks.yaml;

/**
 * An integer written in YAML as an octal literal, e.g. a socket's {@code mode: 0660}. YAML 1.1 readers
 * such as PyYAML read {@code 0660} as 432, which is what programs like Synapse pass to chmod; a plain
 * Java {@code 0660} would be written as {@code 432}, correct but unreadable in a config file.
 */
public record Octal(int value) {

    public Octal {
        if (value < 0) {
            throw new IllegalArgumentException("octal " + value + " is negative");
        }
    }

    /** From a Java octal literal: {@code Octal.of(0660)}. */
    public static Octal of(int value) {
        return new Octal(value);
    }

    /** The literal as written: {@code 0660}. */
    @Override
    public String toString() {
        return "0" + Integer.toOctalString(value);
    }
}
