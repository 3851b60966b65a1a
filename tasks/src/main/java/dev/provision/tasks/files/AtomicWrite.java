package dev.provision.tasks.files;

import dev.provision.task.Shell;

import java.util.Optional;

/**
 * The script that replaces a file atomically: the new content goes to a temporary file in the same
 * directory, is checked against its sha256, gets its owner and mode, is flushed to disk and validated,
 * and only then is renamed over the live file. A reader sees the old file or the new one, never a
 * partial one, and a candidate that fails validation never becomes live.
 *
 * <p>An existing file keeps its owner and mode unless they are given; a new file is {@code 0644} and
 * owned by the user the script runs as unless they are given.
 *
 * <p>Two ways to validate: {@link #validate} runs a command on the candidate before the rename
 * ({@code %s} stands for the candidate's path, like Ansible's {@code validate}); {@link
 * #validateInPlace} is for checkers that can only test the live location (such as {@code nginx -t},
 * whose includes name fixed paths): the old file is kept aside as a hard link, the candidate renamed
 * in, the command run, and on failure the old file is renamed back, byte for byte and inode for inode.
 *
 * <p>The script checks every step itself rather than relying on {@code set -e}: the engine runs it as
 * {@code ( script ) || exit $?}, and POSIX sh ignores {@code -e} inside a command on the left of {@code ||}.
 */
public final class AtomicWrite {

    private static final String NEW_FILE_MODE = "0644";

    private final String path;
    private final byte[] content;
    private Optional<String> owner = Optional.empty();
    private Optional<String> group = Optional.empty();
    private Optional<Mode> mode = Optional.empty();
    private Optional<String> validate = Optional.empty();
    private Optional<String> validateInPlace = Optional.empty();
    private boolean backup;

    private AtomicWrite(String path, byte[] content) {
        if (!path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("'" + path + "' is not an absolute path to a file");
        }
        this.path = path;
        this.content = content.clone();
    }

    public static AtomicWrite of(String path, byte[] content) {
        return new AtomicWrite(path, content);
    }

    public AtomicWrite owner(Optional<String> owner) {
        this.owner = owner;
        return this;
    }

    public AtomicWrite group(Optional<String> group) {
        this.group = group;
        return this;
    }

    public AtomicWrite mode(Optional<Mode> mode) {
        this.mode = mode;
        return this;
    }

    /** A command run on the candidate before it goes live; {@code %s} is the candidate's path. */
    public AtomicWrite validate(Optional<String> command) {
        this.validate = command.map(AtomicWrite::candidateCheck);
        return this;
    }

    /** A validate command as given, once it is sure to name the candidate with {@code %s}. */
    static String candidateCheck(String command) {
        if (!command.contains("%s")) {
            throw new IllegalArgumentException("validate command '" + command + "' has no %s for the candidate file");
        }
        return command;
    }

    /** A command that checks the live location after the swap; on failure the old file comes back. */
    public AtomicWrite validateInPlace(Optional<String> command) {
        this.validateInPlace = command;
        return this;
    }

    /** Keep the replaced file as {@code path.YYYYmmddHHMMSS~}. */
    public AtomicWrite backup(boolean backup) {
        this.backup = backup;
        return this;
    }

    public String script() {
        String target = Shell.quote(path);
        String directory = path.substring(0, Math.max(1, path.lastIndexOf('/')));
        String name = path.substring(path.lastIndexOf('/') + 1);
        StringBuilder sh = new StringBuilder();
        sh.append("fail() { printf '%s\\n' \"$@\" >&2; exit 1; }\n");
        sh.append("[ -d ").append(Shell.quote(directory)).append(" ] || fail ")
                .append(Shell.quote("directory " + directory + " does not exist: create it in an earlier step")).append('\n');
        sh.append("if [ -d ").append(target).append(" ] && [ ! -L ").append(target).append(" ]; then fail ")
                .append(Shell.quote(path + " is a directory, not a file")).append("; fi\n");
        sh.append("tmp=$(mktemp ").append(Shell.quote(directory.replaceAll("/$", "") + "/." + name + ".provision-XXXXXX"))
                .append(") || fail ").append(Shell.quote("cannot create a temporary file in " + directory)).append('\n');
        sh.append("trap 'rm -f \"$tmp\" \"$tmp.old\"' EXIT\n");
        // a dropped connection must not stop the script between the swap and the restore
        sh.append("trap '' HUP\n");
        sh.append(Shell.pipe(content, "cat > \"$tmp\""));
        sh.append("[ \"$(sha256sum < \"$tmp\" | cut -c1-64)\" = ").append(FileProbe.sha256(content)).append(" ] || fail ")
                .append(Shell.quote("writing the new content of " + path + " failed (disk full?)")).append('\n');
        sh.append("if [ -e ").append(target).append(" ]; then chown --reference=").append(target).append(" -- \"$tmp\" && chmod --reference=")
                .append(target).append(" -- \"$tmp\"; else chmod ").append(NEW_FILE_MODE).append(" -- \"$tmp\"; fi || fail ")
                .append(Shell.quote("cannot copy owner and mode of " + path)).append('\n');
        if (owner.isPresent() || group.isPresent()) {
            String spec = owner.orElse("") + group.map(g -> ":" + g).orElse("");
            sh.append("chown -- ").append(Shell.quote(spec)).append(" \"$tmp\" || fail ")
                    .append(Shell.quote("cannot give " + path + " owner " + spec)).append('\n');
        }
        mode.ifPresent(m -> sh.append("chmod -- ").append(m).append(" \"$tmp\" || fail ")
                .append(Shell.quote("cannot give " + path + " mode " + m)).append('\n'));
        sh.append("sync \"$tmp\" || fail ").append(Shell.quote("cannot flush " + path + " to disk")).append('\n');
        validate.ifPresent(command -> sh.append("if ! out=$(").append(command.replace("%s", "\"$tmp\"")).append(" 2>&1); then fail ")
                .append(Shell.quote("validation failed, " + path + " left as it was: " + command)).append(" \"$out\"; fi\n"));
        // the old inode is kept as a hard link: as the backup, or to put back if in-place validation fails
        if (backup || validateInPlace.isPresent()) {
            sh.append("old=").append(backup ? target + ".$(date +%Y%m%d%H%M%S)~" : "\"$tmp.old\"").append('\n');
            sh.append("had_old=0; if [ -e ").append(target).append(" ] || [ -L ").append(target).append(" ]; then ln -f -- ")
                    .append(target).append(" \"$old\" || fail ").append(Shell.quote("cannot keep the old " + path))
                    .append("; had_old=1; fi\n");
        }
        sh.append("mv -fT -- \"$tmp\" ").append(target).append(" || fail ").append(Shell.quote("cannot rename the new file to " + path)).append('\n');
        validateInPlace.ifPresent(command -> {
            sh.append("if ! out=$(").append(command).append(" 2>&1); then\n");
            sh.append("  if [ $had_old = 1 ]; then mv -fT -- \"$old\" ").append(target).append("; else rm -f -- ").append(target).append("; fi\n");
            sh.append("  fail ").append(Shell.quote("validation failed, " + path + " left as it was: " + command)).append(" \"$out\"\n");
            sh.append("fi\n");
        });
        sh.append("trap - EXIT\n");
        sh.append("rm -f \"$tmp.old\"\n");
        return sh.toString();
    }
}
