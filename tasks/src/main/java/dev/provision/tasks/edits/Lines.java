package dev.provision.tasks.edits;

import java.util.ArrayList;
import java.util.List;

/** Text as an editable list of lines, and back; untouched text comes back byte for byte. */
final class Lines {

    private Lines() {
    }

    static List<String> of(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (text.isEmpty() || text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** The edited lines as text, ending with a newline; the original text itself when nothing changed. */
    static String text(List<String> lines, String original) {
        if (lines.equals(of(original))) {
            return original;
        }
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
