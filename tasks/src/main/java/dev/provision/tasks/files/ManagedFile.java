package dev.provision.tasks.files;

import dev.provision.task.Change;
import dev.provision.task.Diff;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A regular file whose content a task decides: written whole, through {@link AtomicWrite}, when its
 * sha256 differs from what the task wants; otherwise only its pinned owner, group and mode are fixed.
 * Subclasses say what the content should be given what is there now.
 */
public abstract class ManagedFile<SELF extends ManagedFile<SELF>> extends OwnedPath<SELF> {

    private boolean backup;
    private Optional<String> validate = Optional.empty();
    private Optional<String> validateInPlace = Optional.empty();
    private boolean sensitive;

    protected ManagedFile(String path) {
        super(path);
    }

    /** Keep the replaced file beside it as {@code path.YYYYmmddHHMMSS~}. */
    public SELF backup() {
        this.backup = true;
        return self();
    }

    /** Check the candidate before it goes live, e.g. {@code validate("visudo -cf %s")}; {@code %s} is the candidate. */
    public SELF validate(String command) {
        this.validate = Optional.of(AtomicWrite.candidateCheck(command));
        return self();
    }

    /**
     * Check the file where it lives, e.g. {@code validateInPlace("nginx -t")} for a checker that reads fixed
     * paths: the new file is swapped in, the command run, and the old file swapped back if it fails.
     */
    public SELF validateInPlace(String command) {
        this.validateInPlace = Optional.of(command);
        return self();
    }

    /** The file holds secrets: its content is never shown, not even masked, in a diff. */
    public SELF sensitive() {
        this.sensitive = true;
        return self();
    }

    /**
     * The bytes the file must hold, given what is at the path now (absent or a regular file); empty to leave
     * the content alone. Throws {@link ContentException} when the content cannot be made.
     */
    protected abstract Optional<byte[]> content(FileState now);

    @Override
    public Plan plan(Facts facts) {
        FileState now = facts.get(FileProbe.at(path));
        if (now.is(FileState.Type.DIRECTORY) || now.is(FileState.Type.OTHER)) {
            return Plan.fail(path + " is a " + now.type().noun() + ", not a regular file");
        }
        if (now.is(FileState.Type.LINK)) {
            return Plan.fail(path + " is a symbolic link to " + now.target() + ": manage the file it points to instead");
        }
        Optional<byte[]> wanted;
        try {
            wanted = content(now);
        } catch (ContentException e) {
            return Plan.fail(describe() + ": " + e.getMessage());
        }
        if (wanted.isEmpty()) {
            return now.exists() ? Plan.of(attributeChanges(now)) : Plan.of(missing());
        }
        if (!now.exists() || !now.sha256().equals(FileProbe.sha256(wanted.get()))) {
            return Plan.of(write(now, wanted.get()));
        }
        return Plan.of(attributeChanges(now));
    }

    private Change write(FileState now, byte[] wanted) {
        String script = AtomicWrite.of(path, wanted).owner(owner).group(group).mode(mode)
                .validate(validate).validateInPlace(validateInPlace).backup(backup).script();
        Optional<Diff> diff = sensitive ? Optional.empty() : diff(now, wanted);
        List<String> summary = new ArrayList<>();
        summary.add((now.exists() ? "content" : "create") + (diff.isPresent() ? "" : " (" + whyNoDiff(now) + ")"));
        summary.addAll(now.exists() ? attributeDifferences(now) : pinnedAttributes());
        Change change = Change.of(String.join(", ", summary), script);
        return diff.map(change::withDiff).orElse(change);
    }

    private Optional<Diff> diff(FileState now, byte[] wanted) {
        Optional<String> before = now.exists() ? now.content().flatMap(Utf8::decode) : Optional.of("");
        return before.flatMap(old -> Utf8.decode(wanted).map(text -> new Diff(path, old, text)));
    }

    private String whyNoDiff(FileState now) {
        if (sensitive) {
            return "sensitive, no diff";
        }
        return now.exists() && now.content().isEmpty() ? "larger than " + FileProbe.CONTENT_LIMIT / 1024 + " KiB, no diff" : "binary, no diff";
    }

    /** In check mode an earlier step may still be about to create the file; applied, the change says it is missing. */
    private Change missing() {
        String message = path + " does not exist: an earlier step must create it";
        return Change.of(message, "printf '%s\\n' " + Shell.quote(message) + " >&2; exit 1");
    }
}
