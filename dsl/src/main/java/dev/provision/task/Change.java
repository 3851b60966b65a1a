package dev.provision.task;

import java.util.Optional;

/**
 * One planned change: what it does in words, the POSIX sh script that does it, and for content
 * changes the before/after text. The script runs as one remote command; a non-zero exit fails the task.
 */
public record Change(String summary, String script, Optional<Diff> diff) {

    public static Change of(String summary, String script) {
        return new Change(summary, script, Optional.empty());
    }

    public Change withDiff(Diff diff) {
        return new Change(summary, script, Optional.of(diff));
    }
}
