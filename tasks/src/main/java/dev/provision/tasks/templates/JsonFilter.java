package dev.provision.tasks.templates;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import dev.provision.task.JsonLayout;
import dev.provision.tasks.yaml.Octal;

import java.io.IOException;

/**
 * Ansible's {@code to_json} (Python's {@code json.dumps}: {@code {"a": 1, "b": [1, 2]}}) and {@code to_nice_json}
 * (indent 4, keys sorted).
 */
final class JsonFilter implements Filter {

    private static final JsonMapper JSON = JsonMapper.builder()
            .addModule(new SimpleModule().setSerializerModifier(new PlainData()))
            // Python writes NaN and Infinity bare
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    private final String name;
    private final ObjectWriter writer;

    private JsonFilter(String name, ObjectWriter writer) {
        this.name = name;
        this.writer = writer;
    }

    static JsonFilter toJson() {
        return new JsonFilter("to_json", JSON.writer(JsonLayout.oneLine()));
    }

    static JsonFilter toNiceJson() {
        return new JsonFilter("to_nice_json", JSON.writer(JsonLayout.indented(4)).with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS));
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new InterpretException(name + ": " + e.getOriginalMessage(), e, interpreter.getLineNumber());
        }
    }

    /**
     * Maps, collections, strings, numbers and booleans as JSON; an {@link Octal} as its number; anything else as its
     * string, where Jackson would write a bean's properties.
     */
    private static final class PlainData extends BeanSerializerModifier {

        @Override
        public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription bean, JsonSerializer<?> serializer) {
            Class<?> type = bean.getBeanClass();
            if (type == Octal.class) {
                return new OctalNumber();
            }
            // Jackson looks boxed numbers and booleans up as their primitive types
            boolean plain = type.isPrimitive() || type == String.class || type == Boolean.class || Number.class.isAssignableFrom(type);
            return plain ? serializer : ToStringSerializer.instance;
        }
    }

    private static final class OctalNumber extends StdSerializer<Octal> {

        OctalNumber() {
            super(Octal.class);
        }

        @Override
        public void serialize(Octal octal, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeNumber(octal.value());
        }
    }
}
