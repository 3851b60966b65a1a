package dev.provision.playbooks.synapse;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A small YAML writer for configuration documents: block maps in insertion order, flow lists of
 * scalars, block lists of maps. It exists because listener {@code mode}s must be written as YAML 1.1
 * octal integers ({@code 0660}), which PyYAML reads as 432; snakeyaml's dumper writes 432 or a
 * quoted string.
 */
final class Yaml {

    /** A file mode written as an unquoted octal literal. */
    record Octal(int value) {
        @Override
        public String toString() {
            return String.format("%04o", value);
        }
    }

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./@-]*");
    private static final Set<String> YAML11_WORDS = Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null");

    private Yaml() {
    }

    static String render(Map<String, ?> document) {
        StringBuilder out = new StringBuilder();
        writeMap(out, document, 0);
        return out.toString();
    }

    private static void writeMap(StringBuilder out, Map<String, ?> map, int indent) {
        map.forEach((key, value) -> {
            out.append(" ".repeat(indent)).append(scalar(key)).append(':');
            if (value instanceof Map<?, ?> nested && !nested.isEmpty()) {
                out.append('\n');
                writeMap(out, cast(nested), indent + 2);
            } else if (value instanceof List<?> list && list.stream().anyMatch(Map.class::isInstance)) {
                out.append('\n');
                for (Object item : list) {
                    StringBuilder itemText = new StringBuilder();
                    writeMap(itemText, cast((Map<?, ?>) item), indent + 4);
                    out.append(" ".repeat(indent + 2)).append("- ").append(itemText.substring(indent + 4));
                }
            } else {
                out.append(' ').append(inline(value)).append('\n');
            }
        });
    }

    private static String inline(Object value) {
        if (value instanceof Map<?, ?>) {
            return "{}";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Yaml::inline).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof String text) {
            return scalar(text);
        }
        return String.valueOf(value);
    }

    private static String scalar(String text) {
        if (PLAIN.matcher(text).matches() && !YAML11_WORDS.contains(text.toLowerCase())) {
            return text;
        }
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> cast(Map<?, ?> map) {
        return (Map<String, ?>) map;
    }
}
