package dev.provision.engine.report;

import dev.provision.dsl.Diff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run as JSON, for scripts and CI: per host its totals, round trips and tasks; per task its
 * status, duration, changes, message and diffs. Every string it writes has the run's secrets masked.
 *
 * <pre>{@code
 * {"check": false, "succeeded": true, "changed": 1, "hosts": [
 *   {"host": "web1", "succeeded": true, "unreachable": null, "failure": null, "roundTrips": 3, "durationMs": 2140,
 *    "totals": {"ok": 4, "changed": 1, "unreachable": 0, "failed": 0, "skipped": 0},
 *    "tasks": [{"name": "install nginx", "resource": "package nginx", "handler": false, "status": "changed",
 *               "durationMs": 1800, "changes": ["install nginx"], "message": null, "diffs": []}]}]}
 * }</pre>
 */
public final class JsonReport {

    private JsonReport() {
    }

    public static void write(RunReport report, Masking masking, Path file) throws IOException {
        Files.writeString(file, render(report, masking), StandardCharsets.UTF_8);
    }

    public static String render(RunReport report, Masking masking) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("check", report.check());
        run.put("succeeded", report.succeeded());
        run.put("changed", report.changed());
        run.put("hosts", report.hosts().stream().map(JsonReport::host).toList());
        StringBuilder out = new StringBuilder();
        value(out, run, "", masking);
        return out.append('\n').toString();
    }

    private static Map<String, Object> host(HostReport host) {
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("ok", host.ok());
        totals.put("changed", host.changed());
        totals.put("unreachable", host.unreachable().isPresent() ? 1 : 0);
        totals.put("failed", Recap.failed(host));
        totals.put("skipped", host.skipped());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("host", host.host());
        json.put("succeeded", host.succeeded());
        json.put("unreachable", host.unreachable().orElse(null));
        json.put("failure", host.failure().orElse(null));
        json.put("roundTrips", host.roundTrips());
        json.put("durationMs", host.duration().toMillis());
        json.put("totals", totals);
        json.put("tasks", host.results().stream().map(JsonReport::task).toList());
        return json;
    }

    private static Map<String, Object> task(TaskResult task) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", task.name());
        json.put("resource", task.resource());
        json.put("handler", task.handler());
        json.put("status", task.status().label());
        json.put("durationMs", task.duration().toMillis());
        json.put("changes", task.changes());
        json.put("message", task.message().orElse(null));
        json.put("diffs", task.diffs().stream().map(JsonReport::diff).toList());
        return json;
    }

    private static Map<String, Object> diff(Diff diff) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("path", diff.path());
        json.put("unified", diff.unified());
        return json;
    }

    /** Maps, lists, strings, numbers, booleans and null, indented by two spaces a level. */
    private static void value(StringBuilder out, Object value, String indent, Masking masking) {
        if (value instanceof Map<?, ?> map) {
            container(out, map.entrySet().stream().toList(), '{', '}', indent,
                    (entry, inner) -> {
                        out.append(quote(String.valueOf(entry.getKey()))).append(": ");
                        value(out, entry.getValue(), inner, masking);
                    });
        } else if (value instanceof List<?> list) {
            container(out, list, '[', ']', indent, (element, inner) -> value(out, element, inner, masking));
        } else if (value instanceof String text) {
            out.append(quote(masking.mask(text)));
        } else {
            out.append(value);
        }
    }

    private interface Member<T> {
        void write(T member, String indent);
    }

    private static <T> void container(StringBuilder out, List<T> members, char open, char close, String indent, Member<T> member) {
        if (members.isEmpty()) {
            out.append(open).append(close);
            return;
        }
        String inner = indent + "  ";
        out.append(open);
        for (int i = 0; i < members.size(); i++) {
            out.append(i == 0 ? "\n" : ",\n").append(inner);
            member.write(members.get(i), inner);
        }
        out.append('\n').append(indent).append(close);
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // U+2028/2029 are valid JSON but end lines in JavaScript
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
