package dev.provision.tasks.edits;

import dev.provision.tasks.files.ContentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Several lines owned by a task, between marker lines it finds again on the next run:
 * {@code # BEGIN provision MANAGED BLOCK name} and {@code # END provision MANAGED BLOCK name}. The block is
 * rewritten in place; a new block goes after {@link #insertAfter}'s last match, before {@link #insertBefore}'s
 * first match, or at the end. An empty or {@link #absent} block is removed with its markers.
 *
 * <pre>{@code
 * BlockInFile.at("/etc/postgresql/15/main/pg_hba.conf").named("synapse")
 *     .content("local synapse synapse scram-sha-256").insertBefore("^local\\s+all");
 * }</pre>
 */
public final class BlockInFile extends EditedFile<BlockInFile> {

    private Optional<String> name = Optional.empty();
    private String block = "";
    private String commentPrefix = "#";
    private boolean absent;

    private BlockInFile(String path) {
        super(path);
    }

    public static BlockInFile at(String path) {
        return new BlockInFile(path);
    }

    /** Tells this block's markers from other blocks' in the same file. */
    public BlockInFile named(String name) {
        if (name.isBlank() || name.contains("\n")) {
            throw new IllegalArgumentException("block name '" + name + "' is blank or has a newline");
        }
        this.name = Optional.of(name);
        return this;
    }

    public BlockInFile content(String block) {
        this.block = block;
        return this;
    }

    /** What starts a comment line in this file, for the markers; {@code #} unless given. */
    public BlockInFile commentPrefix(String prefix) {
        this.commentPrefix = prefix;
        return this;
    }

    public BlockInFile absent() {
        this.absent = true;
        return this;
    }

    @Override
    public String describe() {
        return "block " + name.orElse("?") + " in " + path;
    }

    @Override
    protected boolean removesOnly() {
        return absent || block.isEmpty();
    }

    @Override
    public String edit(String text) {
        String begin = marker("BEGIN");
        String end = marker("END");
        List<String> lines = Lines.of(text);
        int first = indexOf(lines, begin, 0);
        int last = first < 0 ? -1 : indexOf(lines, end, first + 1);
        if (first >= 0 && last < 0) {
            throw new ContentException(path + " has the line '" + begin + "' but no '" + end + "' after it: fix the file by hand");
        }
        List<String> wanted = new ArrayList<>();
        if (!removesOnly()) {
            wanted.add(begin);
            wanted.addAll(Lines.of(block.endsWith("\n") ? block : block + "\n"));
            wanted.add(end);
        }
        if (first >= 0) {
            lines.subList(first, last + 1).clear();
            lines.addAll(first, wanted);
        } else {
            lines.addAll(insertionIndex(lines), wanted);
        }
        return Lines.text(lines, text);
    }

    private String marker(String edge) {
        return commentPrefix + " " + edge + " provision MANAGED BLOCK " + name.orElseThrow(
                () -> new IllegalStateException("block in " + path + " needs named(...)"));
    }

    private static int indexOf(List<String> lines, String marker, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        return -1;
    }
}
