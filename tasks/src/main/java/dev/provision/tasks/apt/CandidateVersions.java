package dev.provision.tasks.apt;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactBatch;
import dev.provision.task.FactException;
import dev.provision.task.Shell;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The versions apt would install, from {@code apt-cache policy} for just the packages a task names,
 * and the host's name for messages. A package apt has never heard of is missing from the output; a
 * purely virtual one has the candidate {@code (none)}.
 */
public record CandidateVersions(String hostname, Map<String, Optional<String>> candidates) {

    private static final String NONE = "(none)";
    /** Every candidate fact starts with the host's name, for messages. */
    private static final String ASK_HOST = "uname -n; ";
    /** The marker line before each task's part of a {@link #MISSING} batch. */
    private static final String TASK = "@task ";

    public static Fact<CandidateVersions> of(List<String> packages) {
        return Fact.of(ASK_HOST + "LC_ALL=C apt-cache policy " + quoted(packages), CandidateVersions::parse);
    }

    /**
     * The candidates of just those packages dpkg does not have installed: what a task that only
     * installs needs to know. apt-cache reads every package list (a tenth of a second and more), so
     * when all are installed, as on every run after the first, it is not run at all. The install
     * tasks of a run share one {@code dpkg-query} ({@link #MISSING}).
     */
    public static Fact<CandidateVersions> ofMissing(List<String> packages) {
        List<String> names = List.copyOf(packages);
        return Fact.batched(MISSING, names, ASK_HOST + askDpkg(names) + policyOfMissing(names), CandidateVersions::parse);
    }

    private static String askDpkg(List<String> names) {
        return "installed=\" $(dpkg-query -W -f='${db:Status-Status}:${Package} ' -- " + quoted(names) + " 2>/dev/null) \"; ";
    }

    private static String policyOfMissing(List<String> names) {
        return "set --; for p in " + quoted(names) + "; do case $installed in *\" installed:$p \"*) ;; *) set -- \"$@\" \"$p\" ;; esac; done; "
                + "[ $# -eq 0 ] || LC_ALL=C apt-cache policy \"$@\"";
    }

    private static String quoted(List<String> names) {
        return names.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }

    /**
     * The install tasks of a run: one {@code uname} and one {@code dpkg-query} for all their packages,
     * then each task's own {@code apt-cache policy} of what is missing (none on a converged host), after
     * a marker line. A failed apt-cache ends the batch, and each task then runs alone for its own error.
     */
    static final FactBatch<List<String>> MISSING = new FactBatch<>() {
        @Override
        public String command(List<List<String>> tasks) {
            StringBuilder command = new StringBuilder(ASK_HOST).append(askDpkg(tasks.stream().flatMap(List::stream).distinct().toList()));
            for (List<String> names : tasks) {
                command.append("echo '").append(TASK).append("'; ").append(policyOfMissing(names)).append(" || exit; ");
            }
            return command.append("true").toString();
        }

        @Override
        public Optional<List<CommandResult>> split(CommandResult result, List<List<String>> tasks) {
            String[] parts = result.stdout().split("(?m)^" + TASK + "\n", -1);
            if (!result.succeeded() || parts.length != tasks.size() + 1) {
                return Optional.empty();
            }
            String host = parts[0];
            return Optional.of(Arrays.stream(parts, 1, parts.length).map(policy -> new CommandResult(0, host + policy, "")).toList());
        }
    };

    /** The version {@code apt-get install} would pick; empty when apt knows no installable version. */
    public Optional<String> candidate(String name) {
        return candidates.getOrDefault(name, Optional.empty());
    }

    static CandidateVersions parse(CommandResult result) {
        if (!result.succeeded()) {
            throw new FactException("apt-cache policy failed: " + result.errorText());
        }
        String[] lines = result.stdout().split("\n");
        Map<String, Optional<String>> candidates = new HashMap<>();
        String current = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (!line.startsWith(" ") && line.endsWith(":")) {
                current = line.substring(0, line.length() - 1);
                candidates.put(current, Optional.empty());
            } else if (current != null && line.trim().startsWith("Candidate:")) {
                String version = line.trim().substring("Candidate:".length()).trim();
                candidates.put(current, version.equals(NONE) ? Optional.empty() : Optional.of(version));
            }
        }
        return new CandidateVersions(lines[0].trim(), Map.copyOf(candidates));
    }
}
