package dev.provision.dsl;

import java.util.Optional;

/**
 * A {@link Product} as one host received it from another: its value, or none yet, as in check mode
 * before the producing host has made it. A task given a value not yet made plans its change as
 * "received from HOST", with no content.
 *
 * @param product the product's name
 * @param from    the host that made it
 */
public record Received<T>(String product, String from, Optional<T> value) {

    public static <T> Received<T> pending(String product, String from) {
        return new Received<>(product, from, Optional.empty());
    }

    public boolean isPresent() {
        return value.isPresent();
    }

    /** {@code replication secret received from app1}. */
    public String describe() {
        return product + " received from " + from;
    }
}
