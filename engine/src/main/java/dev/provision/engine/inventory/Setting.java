package dev.provision.engine.inventory;

import dev.provision.dsl.Secret;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** The keys a host or group may set besides {@code vars}, each with the values it accepts. */
enum Setting {
    ADDRESS("address", Setting::text),
    PORT("port", Setting::port),
    USER("user", Setting::text),
    CONNECTION("connection", Setting::connection),
    IDENTITY_FILE("identity_file", Setting::paths),
    PASSWORD("password", Setting::secret),
    BECOME("become", Setting::bool),
    BECOME_PASSWORD("become_password", Setting::secret),
    KNOWN_HOSTS("known_hosts", Setting::paths),
    PLAYBOOK("playbook", Setting::className);

    static final String LOCAL = "local";
    static final String SSH = "ssh";

    private static final Pattern CLASS_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

    final String key;
    private final UnaryOperator<Object> parser;

    Setting(String key, UnaryOperator<Object> parser) {
        this.key = key;
        this.parser = parser;
    }

    static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    /** The value as the rest of the inventory uses it; IllegalArgumentException says what was expected. */
    Object parse(Object value) {
        return parser.apply(value);
    }

    private static Object text(Object value) {
        if (value instanceof String text && !text.isBlank()) {
            return text;
        }
        throw new IllegalArgumentException("expected a non-empty string");
    }

    private static Object port(Object value) {
        if (value instanceof Integer port && port >= 1 && port <= 65535) {
            return port;
        }
        throw new IllegalArgumentException("expected a port number from 1 to 65535");
    }

    private static Object connection(Object value) {
        if (LOCAL.equals(value) || SSH.equals(value)) {
            return value;
        }
        throw new IllegalArgumentException("expected `" + LOCAL + "` or `" + SSH + "`");
    }

    /** One path or a list of paths, kept as written; they are resolved against the inventory's folder later. */
    private static Object paths(Object value) {
        if (value instanceof String path && !path.isBlank()) {
            return List.of(path);
        }
        if (value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(p -> p instanceof String s && !s.isBlank())) {
            return List.copyOf(list);
        }
        throw new IllegalArgumentException("expected a path or a list of paths");
    }

    private static Object secret(Object value) {
        if (value instanceof Secret) {
            return value;
        }
        if (value instanceof String || value instanceof Number) {
            return Secret.of(String.valueOf(value));
        }
        throw new IllegalArgumentException("expected a password");
    }

    private static Object bool(Object value) {
        if (value instanceof Boolean) {
            return value;
        }
        throw new IllegalArgumentException("expected true or false");
    }

    private static Object className(Object value) {
        if (value instanceof String name && CLASS_NAME.matcher(name).matches()) {
            return name;
        }
        throw new IllegalArgumentException("expected a fully qualified class name such as dev.provision.playbooks.demo.DemoPlaybook");
    }
}
