package dev.provision.tasks.files;

import dev.provision.dsl.Shell;

import java.util.Optional;

/**
 * The script that replaces a file atomically: the new content goes to a temporary file in the same
 * directory, gets its owner and mode, is flushed to disk and validated, and only then is renamed
 * over the live file. A reader sees the old file or the new one, never a partial one, and a
 * candidate that fails validation never becomes live.
 *
 * <p>Two ways to validate: {@link #validate} runs a command on the candidate before the rename
 * ({@code %s} stands for the candidate's path, like Ansible's {@code validate}); {@link
 * #validateInPlace} is for checkers that can only test the live location (such as {@code nginx -t},
 * whose includes name fixed paths): the old file is kept aside, the candidate renamed in, the
 * command run, and on failure the old file is renamed back, byte for byte and inode for inode.
 */
public final class AtomicWrite {

    private final String path;
    private final byte[] content;
    private Optional<String> owner = Optional.empty();
    private Optional<String> group = Optional.empty();
    private Optional<String> mode = Optional.empty();
    private Optional<String> validate = Optional.empty();
    private Optional<String> validateInPlace = Optional.empty();
    private boolean backup;

    private AtomicWrite(String path, byte[] content) {
        this.path = path;
        this.content = content;
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

    /** Octal mode such as {@code 0640}. */
    public AtomicWrite mode(Optional<String> mode) {
        this.mode = mode;
        return this;
    }

    /** A command run on the candidate before it goes live; {@code %s} is the candidate's path. */
    public AtomicWrite validate(Optional<String> command) {
        this.validate = command;
        return this;
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
        String slash = path.lastIndexOf('/') > 0 ? path.substring(0, path.lastIndexOf('/')) : "/";
        String name = path.substring(path.lastIndexOf('/') + 1);
        StringBuilder sh = new StringBuilder();
        sh.append("set -e\n");
        sh.append("[ -d ").append(Shell.quote(slash)).append(" ] || { echo ")
                .append(Shell.quote("directory " + slash + " does not exist: create it in an earlier step")).append(" >&2; exit 1; }\n");
        sh.append("tmp=$(mktemp ").append(Shell.quote(slash + "/." + name + ".provision-XXXXXX")).append(")\n");
        sh.append("trap 'rm -f \"$tmp\"' EXIT\n");
        sh.append("trap '' HUP\n");
        sh.append(Shell.pipe(content, "cat > \"$tmp\""));
        sh.append("if [ -e ").append(target).append(" ]; then chown --reference=").append(target)
                .append(" \"$tmp\"; chmod --reference=").append(target).append(" \"$tmp\"; fi\n");
        if (owner.isPresent() || group.isPresent()) {
            sh.append("chown ").append(Shell.quote(owner.orElse("") + group.map(g -> ":" + g).orElse(""))).append(" \"$tmp\"\n");
        }
        mode.ifPresent(m -> sh.append("chmod ").append(Shell.quote(m)).append(" \"$tmp\"\n"));
        sh.append("sync \"$tmp\"\n");
        validate.ifPresent(command -> sh.append("if ! out=$(").append(command.replace("%s", "\"$tmp\"")).append(" 2>&1); then ")
                .append("printf '%s\\n' ").append(Shell.quote("validation failed, " + path + " left as it was: " + command))
                .append(" \"$out\" >&2; exit 1; fi\n"));
        if (backup) {
            sh.append("if [ -e ").append(target).append(" ]; then cp -p ").append(target).append(' ')
                    .append(Shell.quote(path)).append(".$(date +%Y%m%d%H%M%S)~; fi\n");
        }
        if (validateInPlace.isPresent()) {
            String old = Shell.quote(slash + "/." + name + ".provision-old");
            sh.append("had_old=0; if [ -e ").append(target).append(" ]; then ln -f ").append(target).append(' ').append(old).append("; had_old=1; fi\n");
            sh.append("mv -f \"$tmp\" ").append(target).append('\n');
            sh.append("if ! out=$(").append(validateInPlace.get()).append(" 2>&1); then\n");
            sh.append("  if [ $had_old = 1 ]; then mv -f ").append(old).append(' ').append(target).append("; else rm -f ").append(target).append("; fi\n");
            sh.append("  printf '%s\\n' ").append(Shell.quote("validation failed, " + path + " left as it was: " + validateInPlace.get()))
                    .append(" \"$out\" >&2; exit 1\n");
            sh.append("fi\n");
            sh.append("rm -f ").append(old).append('\n');
        } else {
            sh.append("mv -f \"$tmp\" ").append(target).append('\n');
        }
        sh.append("trap - EXIT\n");
        return sh.toString();
    }
}
