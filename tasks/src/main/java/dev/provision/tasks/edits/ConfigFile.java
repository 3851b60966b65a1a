package dev.provision.tasks.edits;

import dev.provision.dsl.Secret;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings in a flat {@code key value} config file such as redis.conf, sshd_config or a {@code key = value}
 * ini without sections. Setting a key rewrites its active line in place (the last one, commenting out any
 * other active duplicates so the value holds whether the program reads the first or the last); with no
 * active line, the last commented-out example ({@code # unixsocket /run/redis/redis.sock}) is replaced in
 * place, so the setting lands next to its documentation; with neither, it goes at the end, or before
 * the first line matching {@link #insertBefore} (say {@code ^Match\\s} in sshd_config). Unsetting a key
 * comments out its active lines. A line whose value already matches is left exactly as it is.
 *
 * <pre>{@code
 * ConfigFile.at("/etc/redis/redis.conf").set("port", 0).set("unixsocket", "/run/redis/redis-server.sock");
 * }</pre>
 */
public final class ConfigFile extends EditedFile<ConfigFile> {

    private final Map<String, Optional<Object>> settings = new LinkedHashMap<>();
    private String separator = " ";
    private String commentPrefix = "#";

    private ConfigFile(String path) {
        super(path);
    }

    public static ConfigFile at(String path) {
        return new ConfigFile(path);
    }

    /**
     * Between key and value when a line is written: {@code " "} (the default, any run of blanks when read),
     * {@code "="} or {@code " = "} (an {@code =} with or without blanks around it when read).
     */
    public ConfigFile separator(String separator) {
        if (!separator.isBlank() && !separator.strip().equals("=") && !separator.strip().equals(":")) {
            throw new IllegalArgumentException("separator '" + separator + "' is not blanks, '=' or ':' with optional blanks");
        }
        this.separator = separator;
        return this;
    }

    /** What starts a comment line; {@code #} unless given, e.g. {@code ;} for php.ini. */
    public ConfigFile commentPrefix(String prefix) {
        this.commentPrefix = prefix;
        return this;
    }

    /** The key's value: a string, number or {@link Secret} (written in clear, masked in output). */
    public ConfigFile set(String key, Object value) {
        settings.put(requireKey(key), Optional.of(value));
        return this;
    }

    /** The key must have no active line: active lines are commented out. */
    public ConfigFile unset(String key) {
        settings.put(requireKey(key), Optional.empty());
        return this;
    }

    private static String requireKey(String key) {
        if (key.isBlank() || !key.equals(key.strip())) {
            throw new IllegalArgumentException("key '" + key + "' is blank or has blanks around it");
        }
        return key;
    }

    @Override
    public String describe() {
        return "settings " + String.join(", ", settings.keySet()) + " in " + path;
    }

    @Override
    protected boolean removesOnly() {
        return settings.values().stream().allMatch(Optional::isEmpty);
    }

    @Override
    public String edit(String text) {
        List<String> lines = Lines.of(text);
        settings.forEach((key, value) -> {
            if (value.isPresent()) {
                set(lines, key, value.get() instanceof Secret secret ? secret.reveal() : String.valueOf(value.get()));
            } else {
                active(lines, key).forEach(i -> lines.set(i, commentedOut(lines.get(i))));
            }
        });
        return Lines.text(lines, text);
    }

    private void set(List<String> lines, String key, String value) {
        List<Integer> active = active(lines, key);
        if (!active.isEmpty()) {
            int last = active.get(active.size() - 1);
            active.subList(0, active.size() - 1).forEach(i -> lines.set(i, commentedOut(lines.get(i))));
            Matcher setting = activePattern(key).matcher(lines.get(last));
            if (setting.matches() && !value(setting).equals(value)) {
                lines.set(last, setting.group(1) + key + separator + value);
            }
            return;
        }
        Pattern example = commentedPattern(key);
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher commented = example.matcher(lines.get(i));
            if (commented.matches()) {
                lines.set(i, commented.group(1) + key + separator + value);
                return;
            }
        }
        lines.add(insertionIndex(lines), key + separator + value);
    }

    private List<Integer> active(List<String> lines, String key) {
        Pattern pattern = activePattern(key);
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).matches()) {
                indices.add(i);
            }
        }
        return indices;
    }

    private static String value(Matcher setting) {
        return setting.group(2) == null ? "" : setting.group(2).strip();
    }

    private String commentedOut(String line) {
        String indent = line.substring(0, line.length() - line.stripLeading().length());
        return indent + commentPrefix + " " + line.stripLeading();
    }

    /** Group 1 is the indentation, group 2 the value (absent for a bare key). */
    private Pattern activePattern(String key) {
        return Pattern.compile("(\\s*)" + Pattern.quote(key) + "(?:" + separatorPattern() + "(.*))?\\s*");
    }

    private Pattern commentedPattern(String key) {
        return Pattern.compile("(\\s*)(?:" + Pattern.quote(commentPrefix) + ")+\\s*" + Pattern.quote(key) + separatorPattern() + ".*");
    }

    private String separatorPattern() {
        return separator.isBlank() ? "\\s+" : "\\s*" + Pattern.quote(separator.strip()) + "\\s*";
    }
}
