package dev.provision.dsl;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** The host a playbook is being defined for: its inventory name and variables. */
public record Host(String name, Map<String, Object> vars) {

    public Host {
        vars = Map.copyOf(vars);
    }

    public static Host named(String name) {
        return new Host(name, Map.of());
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
