package dev.provision.task;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLayoutTest {

    /** {@code {"a": [1, 2], "b": {}, "c": []}} */
    private static String write(JsonLayout layout) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.setPrettyPrinter(layout);
            json.writeStartObject();
            json.writeArrayFieldStart("a");
            json.writeNumber(1);
            json.writeNumber(2);
            json.writeEndArray();
            json.writeObjectFieldStart("b");
            json.writeEndObject();
            json.writeArrayFieldStart("c");
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toString();
    }

    @Test
    void oneLineSeparatesMembersLikePythonsJsonDumps() throws IOException {
        assertThat(write(JsonLayout.oneLine())).isEqualTo("{\"a\": [1, 2], \"b\": {}, \"c\": []}");
    }

    @Test
    void indentedPutsEachMemberOnItsOwnLineAndLeavesEmptyContainersClosed() throws IOException {
        assertThat(write(JsonLayout.indented(2))).isEqualTo("""
                {
                  "a": [
                    1,
                    2
                  ],
                  "b": {},
                  "c": []
                }""");
    }
}
