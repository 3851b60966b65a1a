package dev.provision.engine.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of an OpenSSH client config ({@code ~/.ssh/config}) the inventory honours: HostName,
 * User, Port and IdentityFile, in {@code Host} sections whose patterns may use {@code *}, {@code ?}
 * and {@code !negation}. As in OpenSSH the first value found for a key wins, and every matching
 * IdentityFile is tried in order. {@code Match} sections and {@code Include} are not followed.
 */
public final class SshConfig {

    /** What the config says about one host; empty where it says nothing. */
    public record Entry(Optional<String> hostName, Optional<String> user, Optional<Integer> port, List<Path> identityFiles) {
    }

    private record Option(String keyword, String value, int line) {
    }

    /** A {@code Host} section; options above the first one apply to every host, as {@code Host *}. */
    private record Section(List<String> patterns, List<Option> options) {

        boolean matches(String host) {
            boolean matched = false;
            for (String pattern : patterns) {
                boolean negated = pattern.startsWith("!");
                if (Glob.matches((negated ? pattern.substring(1) : pattern).toLowerCase(Locale.ROOT), host)) {
                    if (negated) {
                        return false;
                    }
                    matched = true;
                }
            }
            return matched;
        }
    }

    private static final Pattern LINE = Pattern.compile("(\\S+?)(?:\\s*=\\s*|\\s+)(.*)");

    private final Path file;
    private final List<Section> sections;

    private SshConfig(Path file, List<Section> sections) {
        this.file = file;
        this.sections = sections;
    }

    /** A config that says nothing, for callers that must not depend on the user's files. */
    public static SshConfig none() {
        return new SshConfig(Path.of("(none)"), List.of());
    }

    /** {@code ~/.ssh/config}; none when it does not exist. */
    public static SshConfig ofUser() {
        return load(Path.of(System.getProperty("user.home"), ".ssh", "config"));
    }

    /** The config in {@code file}; none when it does not exist. */
    public static SshConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            return none();
        }
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static SshConfig parse(Path file, String text) {
        List<Section> sections = new ArrayList<>();
        Section current = new Section(List.of("*"), new ArrayList<>());
        sections.add(current);
        int number = 0;
        for (String raw : text.split("\r?\n")) {
            number++;
            String line = raw.strip();
            Matcher matcher = LINE.matcher(line);
            if (line.isEmpty() || line.startsWith("#") || !matcher.matches()) {
                continue;
            }
            String keyword = matcher.group(1).toLowerCase(Locale.ROOT);
            String value = unquote(matcher.group(2).strip());
            if (keyword.equals("host") || keyword.equals("match")) {
                // Match criteria are not evaluated: a Match section never applies
                current = new Section(keyword.equals("host") ? List.of(value.split("\\s+")) : List.of(), new ArrayList<>());
                sections.add(current);
            } else {
                current.options().add(new Option(keyword, value, number));
            }
        }
        return new SshConfig(file, sections);
    }

    /** What applies to {@code host}: the name as it would be given to {@code ssh}. */
    public Entry lookup(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        List<Option> options = sections.stream().filter(s -> s.matches(name)).flatMap(s -> s.options().stream()).toList();
        Optional<String> hostName = first(options, "hostname").map(o -> o.value().replace("%h", host));
        Optional<String> user = first(options, "user").map(Option::value);
        Optional<Integer> port = first(options, "port").map(this::port);
        List<Path> identityFiles = options.stream().filter(o -> o.keyword().equals("identityfile"))
                .map(o -> Paths.expandHome(o.value())).toList();
        return new Entry(hostName, user, port, identityFiles);
    }

    private static Optional<Option> first(List<Option> options, String keyword) {
        return options.stream().filter(o -> o.keyword().equals(keyword)).findFirst();
    }

    private int port(Option option) {
        try {
            return Integer.parseInt(option.value());
        } catch (NumberFormatException e) {
            throw new InventoryException(file + ":" + option.line() + ": Port " + option.value() + " is not a number");
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
