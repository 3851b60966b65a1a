package dev.provision.task;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Before and after text of a content change, rendered as a unified diff. Secrets are masked by the
 * engine when it prints the diff, not here.
 */
public record Diff(String path, String before, String after) {

    private static final int CONTEXT = 3;

    /** A side without lines in a hunk header, which java-diff-utils starts at line 1 where diff and patch write 0. */
    private static final Pattern EMPTY_SIDE = Pattern.compile("(?<side>[-+])1,0 ");

    /** A unified diff ({@code --- a/path}, {@code +++ b/path}, hunks with three lines of context). */
    public String unified() {
        List<String> a = lines(before);
        List<String> b = lines(after);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(before.isEmpty() ? "/dev/null" : path).append(" (before)\n");
        out.append("+++ ").append(path).append(" (after)\n");
        UnifiedDiffUtils.generateUnifiedDiff(path, path, a, DiffUtils.diff(a, b), CONTEXT).stream()
                .skip(2) // its file header, which cannot mark the sides or a new file
                .map(line -> line.startsWith("@@") ? EMPTY_SIDE.matcher(line).replaceAll("${side}0,0 ") : line)
                .forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
