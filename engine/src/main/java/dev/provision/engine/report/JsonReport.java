package dev.provision.engine.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.provision.task.Diff;
import dev.provision.task.JsonLayout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

    private static final ObjectWriter WRITER = JsonMapper.builder().build()
            .writer(JsonLayout.indented(2))
            .with(new ScriptSafeEscapes());

    private JsonReport() {
    }

    public static void write(RunReport report, Masking masking, Path file) throws IOException {
        Files.writeString(file, render(report, masking), StandardCharsets.UTF_8);
    }

    public static String render(RunReport unmasked, Masking masking) {
        RunReport report = masking.mask(unmasked);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("check", report.check());
        run.put("succeeded", report.succeeded());
        run.put("changed", report.changed());
        run.put("hosts", report.hosts().stream().map(JsonReport::host).toList());
        return json(run) + "\n";
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
        host.stage().ifPresent(stage -> json.put("stage", stage));
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

    /** A string as the report writes it, escaped. */
    static String quote(String text) {
        return json(text);
    }

    private static String json(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the report holds only maps, lists, strings, numbers and booleans", e);
        }
    }

    /** Beyond what JSON requires, DEL (a control character) and U+2028/2029 (valid JSON, but line ends in JavaScript). */
    private static final class ScriptSafeEscapes extends CharacterEscapes {

        private final int[] ascii = standardAsciiEscapesForJSON();

        ScriptSafeEscapes() {
            ascii[0x7f] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int c) {
            return c == 0x7f || c == '\u2028' || c == '\u2029' ? new SerializedString(String.format("\\u%04x", c)) : null;
        }
    }
}
