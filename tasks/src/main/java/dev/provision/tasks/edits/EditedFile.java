package dev.provision.tasks.edits;

import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.tasks.files.FileProbe;
import dev.provision.tasks.files.FileState;
import dev.provision.tasks.files.ManagedFile;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A text file changed in part: the task reads the whole file in its fact, {@link #edit}s the text on the
 * controller (a pure function), and writes the result back whole through an atomic replace that keeps
 * the file's owner and mode. A missing file is an error when applied, unless {@link #create()} is set.
 * Lines with nowhere to replace go at the end, or where {@link #insertAfter}/{@link #insertBefore} say.
 */
public abstract class EditedFile<SELF extends EditedFile<SELF>> extends ManagedFile<SELF> {

    private boolean create;
    private Anchor anchor = Anchor.END;

    protected EditedFile(String path) {
        super(path);
    }

    /** Start from an empty file when there is none. */
    public SELF create() {
        this.create = true;
        return self();
    }

    /** New lines go after the last line matching {@code regex} (or at the end when none does). */
    public SELF insertAfter(String regex) {
        this.anchor = Anchor.after(regex);
        return self();
    }

    /** New lines go before the first line matching {@code regex} (or at the end when none does). */
    public SELF insertBefore(String regex) {
        this.anchor = Anchor.before(regex);
        return self();
    }

    /** Where new lines go: see {@link #insertAfter} and {@link #insertBefore}; the end of the file by default. */
    protected int insertionIndex(List<String> lines) {
        return anchor.index(lines);
    }

    /** The text after the edit; the same text when nothing needs to change. */
    public abstract String edit(String text);

    /** True when a missing file already is what the edit wants (a line or block that must be absent). */
    protected abstract boolean removesOnly();

    @Override
    public Plan plan(Facts facts) {
        if (removesOnly() && !facts.get(FileProbe.at(path)).exists()) {
            return Plan.ok();
        }
        return super.plan(facts);
    }

    @Override
    protected Optional<byte[]> content(FileState now) {
        if (!now.exists() && !create) {
            return Optional.empty();
        }
        return Optional.of(edit(now.exists() ? now.text() : "").getBytes(StandardCharsets.UTF_8));
    }
}
