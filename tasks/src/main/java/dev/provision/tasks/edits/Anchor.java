package dev.provision.tasks.edits;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where new lines go when there is nothing to replace: after the last line matching a regex, before the
 * first line matching one, or at the end of the file (also when the regex matches nothing).
 */
record Anchor(Pattern pattern, boolean after) {

    static final Anchor END = new Anchor(null, true);

    static Anchor after(String regex) {
        return new Anchor(Pattern.compile(regex), true);
    }

    static Anchor before(String regex) {
        return new Anchor(Pattern.compile(regex), false);
    }

    /** The index to insert at. */
    int index(List<String> lines) {
        if (pattern == null) {
            return lines.size();
        }
        if (after) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (pattern.matcher(lines.get(i)).find()) {
                    return i + 1;
                }
            }
        } else {
            for (int i = 0; i < lines.size(); i++) {
                if (pattern.matcher(lines.get(i)).find()) {
                    return i;
                }
            }
        }
        return lines.size();
    }
}
