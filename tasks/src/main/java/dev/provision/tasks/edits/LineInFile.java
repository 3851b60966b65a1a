package dev.provision.tasks.edits;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One line in a text file, like Ansible's lineinfile. Present: the last line matching {@link #matching} is
 * replaced by {@link #line}; with no match (or no regex) the line is added unless it is already there,
 * after {@link #insertAfter}'s last match, before {@link #insertBefore}'s first match, or at the end.
 * Absent: every line matching the regex (or equal to the line) is removed.
 *
 * <pre>{@code
 * LineInFile.at("/etc/ssh/sshd_config").line("PermitRootLogin prohibit-password").matching("^#?PermitRootLogin\\s");
 * }</pre>
 */
public final class LineInFile extends EditedFile<LineInFile> {

    private Optional<String> line = Optional.empty();
    private Optional<Pattern> matching = Optional.empty();
    private boolean absent;

    private LineInFile(String path) {
        super(path);
    }

    public static LineInFile at(String path) {
        return new LineInFile(path);
    }

    public LineInFile line(String line) {
        if (line.contains("\n")) {
            throw new IllegalArgumentException("a line has no newline in it; use BlockInFile for several lines");
        }
        this.line = Optional.of(line);
        return this;
    }

    /** The lines this task owns, found with {@code find()}: e.g. {@code ^#?PermitRootLogin\s}. */
    public LineInFile matching(String regex) {
        this.matching = Optional.of(Pattern.compile(regex));
        return this;
    }

    public LineInFile absent() {
        this.absent = true;
        return this;
    }

    @Override
    public String describe() {
        return "line " + line.or(() -> matching.map(Pattern::pattern)).orElse("?") + " in " + path;
    }

    @Override
    protected boolean removesOnly() {
        return absent;
    }

    @Override
    public String edit(String text) {
        List<String> lines = Lines.of(text);
        if (absent) {
            lines.removeIf(l -> matching.map(owned -> owned.matcher(l).find()).orElseGet(() -> l.equals(required())));
            return Lines.text(lines, text);
        }
        String wanted = required();
        int last = lastMatch(lines);
        if (last >= 0) {
            lines.set(last, wanted);
        } else if (!lines.contains(wanted)) {
            lines.add(insertionIndex(lines), wanted);
        }
        return Lines.text(lines, text);
    }

    private int lastMatch(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0 && matching.isPresent(); i--) {
            if (matching.get().matcher(lines.get(i)).find()) {
                return i;
            }
        }
        return -1;
    }

    private String required() {
        return line.orElseThrow(() -> new IllegalStateException(describe() + " needs line(...)"));
    }
}
