package dev.provision.tasks.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where in the template an error is. Jinjava 2.7.4 does not count the newlines that trim_blocks removes
 * (the one after each block tag and comment), so the line it reports is early by one for every such newline
 * above the error; and the lines such a newline joined are one line to it. This maps its line back to the
 * template's, using the undefined name, when there is one, to pick among lines Jinjava saw as one.
 */
final class SourceLines {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private SourceLines() {
    }

    /** {@code line 8}, or {@code lines 4-5} when Jinjava's line covers several and nothing tells them apart. */
    static String locate(String template, int reported, Optional<String> undefined) {
        String[] lines = template.split("\n", -1);
        List<Integer> candidates = new ArrayList<>();
        int jinjavaLine = 1;
        for (int line = 1; line <= lines.length; line++) {
            if (jinjavaLine == reported) {
                candidates.add(line);
            }
            if (!lines[line - 1].endsWith("%}") && !lines[line - 1].endsWith("#}")) {
                jinjavaLine++;
            }
        }
        if (candidates.isEmpty()) {
            return "line " + reported;
        }
        Optional<String> name = undefined.map(NAME::matcher).filter(Matcher::find).map(Matcher::group);
        Optional<Integer> named = name.flatMap(n -> candidates.stream().filter(line -> lines[line - 1].contains(n)).findFirst());
        if (named.isPresent() || candidates.size() == 1) {
            return "line " + named.orElse(candidates.get(0));
        }
        return "lines " + candidates.get(0) + "-" + candidates.get(candidates.size() - 1);
    }
}
