package dev.provision.task;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.util.Instantiatable;

import java.io.IOException;

/**
 * Python's {@code json.dumps} layout for Jackson, whose own printers write {@code "key" : value} and
 * {@code [ ]}: {@code ": "} after a key, {@code []} and {@code {}} when empty, and members either on one
 * line apart by {@code ", "} or one a line under an indent.
 */
public final class JsonLayout implements PrettyPrinter, Instantiatable<JsonLayout> {

    /** Null for one line. */
    private final String indent;
    private int depth;

    private JsonLayout(String indent) {
        this.indent = indent;
    }

    /** {@code {"a": 1, "b": [1, 2]}} */
    public static JsonLayout oneLine() {
        return new JsonLayout(null);
    }

    /** One member a line, each level indented by {@code spaces} more. */
    public static JsonLayout indented(int spaces) {
        return new JsonLayout(" ".repeat(spaces));
    }

    @Override
    public JsonLayout createInstance() {
        return new JsonLayout(indent);
    }

    @Override
    public void writeRootValueSeparator(JsonGenerator json) {
    }

    @Override
    public void writeStartObject(JsonGenerator json) throws IOException {
        open(json, '{');
    }

    @Override
    public void beforeObjectEntries(JsonGenerator json) throws IOException {
        lineBreak(json);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator json) throws IOException {
        json.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator json) throws IOException {
        separate(json);
    }

    @Override
    public void writeEndObject(JsonGenerator json, int entries) throws IOException {
        close(json, '}', entries);
    }

    @Override
    public void writeStartArray(JsonGenerator json) throws IOException {
        open(json, '[');
    }

    @Override
    public void beforeArrayValues(JsonGenerator json) throws IOException {
        lineBreak(json);
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator json) throws IOException {
        separate(json);
    }

    @Override
    public void writeEndArray(JsonGenerator json, int values) throws IOException {
        close(json, ']', values);
    }

    private void open(JsonGenerator json, char bracket) throws IOException {
        json.writeRaw(bracket);
        depth++;
    }

    private void separate(JsonGenerator json) throws IOException {
        json.writeRaw(',');
        if (indent == null) {
            json.writeRaw(' ');
        } else {
            lineBreak(json);
        }
    }

    private void close(JsonGenerator json, char bracket, int members) throws IOException {
        depth--;
        if (members > 0) {
            lineBreak(json);
        }
        json.writeRaw(bracket);
    }

    private void lineBreak(JsonGenerator json) throws IOException {
        if (indent != null) {
            json.writeRaw("\n" + indent.repeat(depth));
        }
    }
}
