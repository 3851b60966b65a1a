package dev.provision.dsl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The host a playbook is being defined for: its inventory name and variables, and in a
 * {@link Deployment} what it received from the hosts of earlier roles.
 *
 * @param received by product name, what each host of the producing role made
 */
public record Host(String name, Map<String, Object> vars, Map<String, Map<String, Received<?>>> received) {

    public Host {
        vars = Map.copyOf(vars);
        received = Map.copyOf(received);
    }

    public Host(String name, Map<String, Object> vars) {
        this(name, vars, Map.of());
    }

    public static Host named(String name) {
        return new Host(name, Map.of());
    }

    /** The product as the one host of its role made it; see {@link #receivedFromEach} for a role of several hosts. */
    public <T> Received<T> received(Product<T> product) {
        Map<String, Received<T>> each = receivedFromEach(product);
        if (each.size() != 1) {
            throw new IllegalStateException(product.name() + " comes from " + each.size() + " hosts of role " + product.role() + " ("
                    + String.join(", ", each.keySet()) + "): read it with receivedFromEach");
        }
        return each.values().iterator().next();
    }

    /** The product as each host of its role made it, by host name. */
    @SuppressWarnings("unchecked") // the engine files each product's values under its name, read by its own fact
    public <T> Map<String, Received<T>> receivedFromEach(Product<T> product) {
        Map<String, Received<?>> each = received.get(product.name());
        if (each == null) {
            throw new IllegalStateException("host " + name + " receives no " + product.name() + ": its role must come after role "
                    + product.role() + " (Role.after)");
        }
        Map<String, Received<T>> typed = new LinkedHashMap<>();
        each.forEach((host, value) -> typed.put(host, (Received<T>) value));
        return typed;
    }

    public Optional<Object> find(String variable) {
        return Optional.ofNullable(vars.get(variable));
    }

    /** A variable as text; a secret variable gives its clear value, which output still masks. */
    public String var(String variable) {
        return find(variable).map(Host::text).orElseThrow(() -> new NoSuchElementException(
                "host " + name + " has no variable '" + variable + "': set it under the host or one of its groups in the inventory"));
    }

    public String var(String variable, String fallback) {
        return find(variable).map(Host::text).orElse(fallback);
    }

    public int intVar(String variable, int fallback) {
        return find(variable).map(v -> v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim())).orElse(fallback);
    }

    public boolean boolVar(String variable, boolean fallback) {
        return find(variable).map(v -> v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString().trim())).orElse(fallback);
    }

    /** A variable whose value must never be printed. */
    public Secret secret(String variable) {
        Object value = find(variable).orElse(null);
        return value instanceof Secret secret ? secret : Secret.of(var(variable));
    }

    private static String text(Object value) {
        return value instanceof Secret secret ? secret.reveal() : String.valueOf(value);
    }
}
