package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactException;
import dev.provision.task.Plan;
import dev.provision.task.Shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A secret file made on the host and never read by the controller: its facts are its owner, group and
 * mode, and for a derived file whether it still matches its source, compared on the host. Either
 * generated once (32 random bytes as hex, kept on every later run) or derived from another secret file
 * as {@code contentPrefix} + that file's value (a libpq passfile line from the database password).
 */
final class HostSecret extends OneFactTask<HostSecret.State> {

    private final SecretFile file;
    private final Optional<String> source;

    private enum Content { ABSENT, EMPTY, CURRENT, STALE }

    record State(Content content, String owner, String group, String mode) {
    }

    private HostSecret(SecretFile file, Optional<String> source) {
        super("secret file " + file.path(), Fact.of(stateCommand(file, source), result -> parse(file, result)));
        this.file = file;
        this.source = source;
    }

    /** Generated when missing or empty, then kept. */
    static HostSecret generated(SecretFile file) {
        return new HostSecret(file, Optional.empty());
    }

    /** Always {@code file.contentPrefix()} followed by the value in {@code source}, another secret file. */
    static HostSecret derivedFrom(String source, SecretFile file) {
        return new HostSecret(file, Optional.of(source));
    }

    @Override
    Plan planFor(State now) {
        return switch (now.content()) {
            case ABSENT, EMPTY -> Plan.of(Change.of((source.isPresent() ? "write from " + source.get() : "generate") + ", owner "
                    + file.owner() + ":" + file.group() + ", mode " + file.octalMode(), write()));
            case STALE -> Plan.of(Change.of("rewrite: it no longer matches " + source.orElseThrow(), write()));
            case CURRENT -> Plan.of(attributeChanges(now));
        };
    }

    private List<Change> attributeChanges(State now) {
        List<Change> changes = new ArrayList<>();
        String path = Shell.quote(file.path());
        String owner = file.owner() + ":" + file.group();
        if (!owner.equals(now.owner() + ":" + now.group())) {
            changes.add(Change.of("owner " + now.owner() + ":" + now.group() + " → " + owner, "chown -- " + Shell.quote(owner) + " " + path));
        }
        if (Integer.parseInt(now.mode(), 8) != file.mode()) {
            changes.add(Change.of("mode " + now.mode() + " → " + file.octalMode(), "chmod -- " + file.octalMode() + " " + path));
        }
        return changes;
    }

    /** The value goes from its source straight into a private temporary file beside the target, then is renamed over it. */
    private String write() {
        String path = Shell.quote(file.path());
        String directory = file.path().substring(0, file.path().lastIndexOf('/'));
        String value = source.map(src -> "printf '%s%s\\n' " + Shell.quote(file.contentPrefix()) + " \"$(cat " + Shell.quote(src) + ")\"")
                .orElse("printf '%s%s\\n' " + Shell.quote(file.contentPrefix()) + " \"$(od -An -tx1 -N32 /dev/urandom | tr -d ' \\n')\"");
        return source.map(src -> "[ -s " + Shell.quote(src) + " ] || { echo " + Shell.quote(src + " is missing: an earlier step creates it")
                        + " >&2; exit 1; }\n").orElse("")
                + "tmp=$(mktemp " + Shell.quote(directory + "/.secret-XXXXXX") + ") || exit 1\n"
                + "trap 'rm -f \"$tmp\"' EXIT\n"
                + value + " > \"$tmp\" || exit 1\n"
                + "chown -- " + Shell.quote(file.owner() + ":" + file.group()) + " \"$tmp\" && chmod -- " + file.octalMode() + " \"$tmp\" || exit 1\n"
                + "mv -f -- \"$tmp\" " + path + "\n";
    }

    /** Prints the content's state, then owner, group and octal mode; never the content. */
    private static String stateCommand(SecretFile file, Optional<String> source) {
        String f = Shell.quote(file.path());
        String matches = source.map(src -> "elif [ \"$(cat " + f + ")\" != " + Shell.quote(file.contentPrefix()) + "\"$(cat "
                + Shell.quote(src) + " 2>/dev/null)\" ]; then echo stale; ").orElse("");
        return "if [ ! -e " + f + " ]; then echo absent; elif [ ! -s " + f + " ]; then echo empty; "
                + matches + "else echo current; fi; [ ! -e " + f + " ] || stat -c '%U %G %a' -- " + f;
    }

    private static State parse(SecretFile file, CommandResult result) {
        List<String> lines = result.stdout().lines().toList();
        if (lines.isEmpty()) {
            throw new FactException("cannot inspect " + file.path() + ": " + result.errorText());
        }
        Content content = Content.valueOf(lines.get(0).trim().toUpperCase());
        if (content == Content.ABSENT) {
            return new State(content, "", "", "0");
        }
        String[] attributes = lines.size() > 1 ? lines.get(1).trim().split(" ") : new String[0];
        if (attributes.length != 3) {
            throw new FactException("cannot read owner and mode of " + file.path() + ": " + result.errorText());
        }
        return new State(content, attributes[0], attributes[1], attributes[2]);
    }
}
