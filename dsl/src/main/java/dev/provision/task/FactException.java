package dev.provision.task;

/** A fact command printed something its parser does not understand. */
public class FactException extends RuntimeException {
    public FactException(String message) {
        super(message);
    }
}
