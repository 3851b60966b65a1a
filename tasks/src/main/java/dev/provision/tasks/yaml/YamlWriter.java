package dev.provision.tasks.yaml;

import dev.provision.dsl.Secret;
import dev.provision.tasks.files.ContentException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * Maps, lists and scalars as YAML that PyYAML (YAML 1.1) reads back as the same values:
 * strings that would read as numbers, booleans, nulls or dates are quoted, {@link Octal} values are
 * plain octal literals, multi-line strings are literal blocks, there are no anchors or aliases.
 * Insertion order is kept for ordered maps and sets; unordered ones are sorted by key, so the same
 * input always gives the same bytes. Every rendering is parsed back and compared before it is returned.
 * The layout is {@link YamlStyle#BLOCK} unless another {@link YamlStyle} is given.
 */
public final class YamlWriter {

    private YamlWriter() {
    }

    public static String write(Object document) {
        return write(document, 2);
    }

    public static String write(Object document, int indent) {
        return write(document, indent, YamlStyle.BLOCK);
    }

    public static String write(Object document, YamlStyle style) {
        return write(document, 2, style);
    }

    public static String write(Object document, int indent, YamlStyle style) {
        Object tree = normalize(document);
        String marker = "provision-octal-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + "-";
        String text = dumper(indent, style, marker).dump(tree);
        // snakeyaml never writes a plain scalar with a leading zero, so octals go out as a marker and are unwrapped here
        text = Pattern.compile(Pattern.quote(marker) + "([0-7]+)").matcher(text).replaceAll(m -> "0" + m.group(1));
        verify(tree, text);
        return text;
    }

    private static Yaml dumper(int indent, YamlStyle style, String octalMarker) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(indent);
        if (style == YamlStyle.HAND_WRITTEN) {
            options.setIndicatorIndent(indent);
            options.setIndentWithIndicator(true);
        }
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        options.setAllowUnicode(true);
        return new Yaml(new PlainRepresenter(options, style, octalMarker), options);
    }

    private static final class PlainRepresenter extends Representer {

        /** What {@link YamlStyle#HAND_WRITTEN} leaves unquoted, unless it is one of {@link #YAML11_WORDS} in any case. */
        private static final Pattern BARE = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./@-]*");
        private static final Set<String> YAML11_WORDS = Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null");

        private final YamlStyle style;

        PlainRepresenter(DumperOptions options, YamlStyle style, String octalMarker) {
            super(options);
            this.style = style;
            Represent strings = representers.get(String.class);
            representers.put(String.class, data -> {
                String text = (String) data;
                if (text.contains("\n")) {
                    return representScalar(Tag.STR, text, DumperOptions.ScalarStyle.LITERAL);
                }
                if (style == YamlStyle.HAND_WRITTEN) {
                    boolean bare = BARE.matcher(text).matches() && !YAML11_WORDS.contains(text.toLowerCase(Locale.ROOT));
                    return representScalar(Tag.STR, text, bare ? DumperOptions.ScalarStyle.PLAIN : DumperOptions.ScalarStyle.DOUBLE_QUOTED);
                }
                if (text.equals("=")) {
                    // PyYAML reads a plain = as its 'value' tag, which safe_load refuses
                    return representScalar(Tag.STR, text, DumperOptions.ScalarStyle.SINGLE_QUOTED);
                }
                return strings.representData(data);
            });
            representers.put(Octal.class, data -> representScalar(Tag.STR,
                    octalMarker + Integer.toOctalString(((Octal) data).value()), DumperOptions.ScalarStyle.PLAIN));
        }

        @Override
        protected Node representSequence(Tag tag, Iterable<?> sequence, DumperOptions.FlowStyle flowStyle) {
            boolean holdsNoMap = StreamSupport.stream(sequence.spliterator(), false).noneMatch(Map.class::isInstance);
            return super.representSequence(tag, sequence, style == YamlStyle.HAND_WRITTEN && holdsNoMap ? DumperOptions.FlowStyle.FLOW : flowStyle);
        }
    }

    /** Fresh ordered containers (so nothing is shared and aliased), secrets revealed, unordered collections sorted. */
    static Object normalize(Object value) {
        if (value instanceof Map<?, ?> map) {
            List<? extends Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            if (!(map instanceof LinkedHashMap || map instanceof SortedMap)) {
                entries.sort(Comparator.comparing(e -> String.valueOf(e.getKey())));
            }
            Map<Object, Object> copy = new LinkedHashMap<>();
            entries.forEach(e -> copy.put(normalize(e.getKey()), normalize(e.getValue())));
            return copy;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>();
            collection.forEach(item -> copy.add(normalize(item)));
            if (collection instanceof Set && !(collection instanceof SortedSet || collection instanceof LinkedHashSet)) {
                copy.sort(Comparator.comparing(String::valueOf));
            }
            return copy;
        }
        if (value instanceof Object[] array) {
            return normalize(List.of(array));
        }
        if (value instanceof Secret secret) {
            return secret.reveal();
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Octal) {
            return value;
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        throw new ContentException("cannot write a " + value.getClass().getName() + " as YAML: use maps, lists, strings, numbers, booleans or Octal");
    }

    private static void verify(Object written, String text) {
        Object read;
        try {
            read = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new ContentException("rendered YAML does not parse: " + e.getMessage(), e);
        }
        sameValue(written, read, "document");
    }

    private static void sameValue(Object written, Object read, String where) {
        if (written instanceof Map<?, ?> map && read instanceof Map<?, ?> back && map.size() == back.size()) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                sameValue(entry.getValue(), back.get(entry.getKey()), where + "." + entry.getKey());
            }
        } else if (written instanceof List<?> list && read instanceof List<?> back && list.size() == back.size()) {
            for (int i = 0; i < list.size(); i++) {
                sameValue(list.get(i), back.get(i), where + "[" + i + "]");
            }
        } else if (!sameScalar(written, read)) {
            throw new ContentException("rendered YAML reads back differently at " + where + ": wrote " + written + ", reads " + read);
        }
    }

    private static boolean sameScalar(Object written, Object read) {
        if (written instanceof Octal octal) {
            return read instanceof Integer number && number == octal.value();
        }
        if (written instanceof Number number && read instanceof Number back) {
            return number.toString().equals(back.toString()) || sameDecimal(number, back);
        }
        return Objects.equals(written, read);
    }

    private static boolean sameDecimal(Number a, Number b) {
        try {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
        } catch (NumberFormatException notFinite) {
            return false;
        }
    }
}
