package dev.provision.tasks.templates;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import dev.provision.tasks.yaml.Octal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ansible's {@code to_json} (Python's {@code json.dumps}: {@code {"a": 1, "b": [1, 2]}}) and {@code to_nice_json}
 * (indent 4, keys sorted).
 */
final class JsonFilter implements Filter {

    private static final String INDENT = "    ";

    private final String name;
    private final boolean nice;

    JsonFilter(String name, boolean nice) {
        this.name = name;
        this.nice = nice;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        StringBuilder json = new StringBuilder();
        write(value, json, "");
        return json.toString();
    }

    private void write(Object value, StringBuilder json, String indent) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> entries = nice ? new TreeMap<>() : new LinkedHashMap<>();
            map.forEach((k, v) -> entries.put(String.valueOf(k), v));
            json.append('{');
            String inner = indent + INDENT;
            int i = 0;
            for (Map.Entry<String, Object> entry : entries.entrySet()) {
                separate(json, i++, inner);
                string(entry.getKey(), json);
                json.append(": ");
                write(entry.getValue(), json, inner);
            }
            close(json, '}', entries.isEmpty(), indent);
        } else if (value instanceof Collection<?> items) {
            json.append('[');
            String inner = indent + INDENT;
            int i = 0;
            for (Object item : items) {
                separate(json, i++, inner);
                write(item, json, inner);
            }
            close(json, ']', items.isEmpty(), indent);
        } else if (value == null) {
            json.append("null");
        } else if (value instanceof Boolean || value instanceof Number) {
            json.append(value);
        } else if (value instanceof Octal octal) {
            json.append(octal.value());
        } else {
            string(value.toString(), json);
        }
    }

    private void separate(StringBuilder json, int index, String indent) {
        if (index > 0) {
            json.append(nice ? "," : ", ");
        }
        if (nice) {
            json.append('\n').append(indent);
        }
    }

    private void close(StringBuilder json, char bracket, boolean empty, String indent) {
        if (nice && !empty) {
            json.append('\n').append(indent);
        }
        json.append(bracket);
    }

    private static void string(String text, StringBuilder json) {
        json.append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
