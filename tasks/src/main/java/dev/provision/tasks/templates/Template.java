package dev.provision.tasks.templates;

import dev.provision.dsl.Secret;
import dev.provision.tasks.files.Content;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A Jinja template (Jinjava, with Ansible's trim_blocks and the Ansible filters people rely on), rendered on
 * the controller when its task is planned. An undefined variable is an error naming the template and line.
 * A {@link Secret} variable renders as its clear value; the engine masks it wherever output is shown.
 *
 * <pre>{@code
 * Files.file("/etc/redis/redis.conf").content(Template.resource("redis/redis.conf.j2").with("port", 0));
 * }</pre>
 */
public final class Template implements Content {

    private final String name;
    private final Supplier<String> source;
    private final Map<String, Object> variables = new LinkedHashMap<>();

    private Template(String name, Supplier<String> source) {
        this.name = name;
        this.source = source;
    }

    /** A template on the playbook's classpath, e.g. {@code redis/redis.conf.j2}. */
    public static Template resource(String name) {
        return new Template(name, () -> new String(Content.resource(name).bytes(), StandardCharsets.UTF_8));
    }

    /** A template given as text; {@code name} is what error messages call it. */
    public static Template of(String name, String text) {
        return new Template(name, () -> text);
    }

    public Template with(String variable, Object value) {
        variables.put(variable, value);
        return this;
    }

    public Template with(Map<String, ?> variables) {
        this.variables.putAll(variables);
        return this;
    }

    /** The rendered text; throws {@code ContentException} naming the template and line on any error. */
    public String render() {
        return Jinja.render(name, source.get(), reveal(variables));
    }

    @Override
    public byte[] bytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }

    /** Secrets, however deep in maps and lists, become their clear values: Jinjava would print their masked toString. */
    @SuppressWarnings("unchecked")
    private static <T> T reveal(T value) {
        if (value instanceof Secret secret) {
            return (T) secret.reveal();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, reveal(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(reveal(item)));
            return (T) copy;
        }
        return value;
    }
}
