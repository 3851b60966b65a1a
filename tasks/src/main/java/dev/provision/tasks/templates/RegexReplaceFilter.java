package dev.provision.tasks.templates;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's {@code regex_replace(pattern, replacement, ignorecase=false, multiline=false)} with Python's
 * syntax: {@code (?P<name>...)} groups and {@code \1}, {@code \g<1>}, {@code \g<name>} in the replacement.
 * (Jinjava's own regex_replace takes Java's {@code $1} and would write {@code \1} literally.)
 */
final class RegexReplaceFilter implements Filter {

    private static final Pattern GROUP_REFERENCE = Pattern.compile("\\\\(?:(\\d{1,2})|g<(\\w+)>|(.))", Pattern.DOTALL);

    @Override
    public String getName() {
        return "regex_replace";
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        String pattern = argument(args, kwargs, 0, "pattern", "");
        String replacement = argument(args, kwargs, 1, "replacement", "");
        int flags = (truthy(argument(args, kwargs, 2, "ignorecase", "false")) ? Pattern.CASE_INSENSITIVE : 0)
                | (truthy(argument(args, kwargs, 3, "multiline", "false")) ? Pattern.MULTILINE : 0);
        Pattern regex = Pattern.compile(pattern.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>"), flags);
        return regex.matcher(value == null ? "" : value.toString()).replaceAll(javaReplacement(replacement));
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        return filter(value, interpreter, args, Map.of());
    }

    /** Python's replacement syntax as a Java one: group references become {@code $n}/{@code ${name}}, the rest literal. */
    static String javaReplacement(String python) {
        Matcher reference = GROUP_REFERENCE.matcher(python);
        StringBuilder java = new StringBuilder();
        int literalStart = 0;
        while (reference.find()) {
            java.append(Matcher.quoteReplacement(python.substring(literalStart, reference.start())));
            if (reference.group(1) != null) {
                java.append('$').append(reference.group(1));
            } else if (reference.group(2) != null) {
                String group = reference.group(2);
                java.append(group.chars().allMatch(Character::isDigit) ? "$" + group : "${" + group + "}");
            } else {
                java.append(Matcher.quoteReplacement(escaped(reference.group(3).charAt(0))));
            }
            literalStart = reference.end();
        }
        java.append(Matcher.quoteReplacement(python.substring(literalStart)));
        return java.toString();
    }

    private static String escaped(char c) {
        return switch (c) {
            case 'n' -> "\n";
            case 't' -> "\t";
            case 'r' -> "\r";
            case '\\' -> "\\";
            default -> "\\" + c;
        };
    }

    private static String argument(Object[] args, Map<String, Object> kwargs, int position, String name, String fallback) {
        Object value = kwargs.containsKey(name) ? kwargs.get(name) : position < args.length ? args[position] : fallback;
        return String.valueOf(value);
    }

    private static boolean truthy(String flag) {
        return flag.equalsIgnoreCase("true") || flag.equalsIgnoreCase("yes") || flag.equals("1");
    }
}
