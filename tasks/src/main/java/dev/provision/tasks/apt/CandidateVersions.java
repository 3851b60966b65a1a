package dev.provision.tasks.apt;

import dev.provision.dsl.CommandResult;
import dev.provision.dsl.Fact;
import dev.provision.dsl.FactException;
import dev.provision.dsl.Shell;

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

    public static Fact<CandidateVersions> of(List<String> packages) {
        String names = packages.stream().map(Shell::quote).collect(Collectors.joining(" "));
        return Fact.of("uname -n; LC_ALL=C apt-cache policy " + names, CandidateVersions::parse);
    }

    /**
     * The candidates of just those packages dpkg does not have installed: what a task that only
     * installs needs to know. apt-cache reads every package list (a tenth of a second and more), so
     * when all are installed, as on every run after the first, it is not run at all.
     */
    public static Fact<CandidateVersions> ofMissing(List<String> packages) {
        String names = packages.stream().map(Shell::quote).collect(Collectors.joining(" "));
        return Fact.of("uname -n; installed=\" $(dpkg-query -W -f='${db:Status-Status}:${Package} ' -- " + names + " 2>/dev/null) \"; "
                + "set --; for p in " + names + "; do case $installed in *\" installed:$p \"*) ;; *) set -- \"$@\" \"$p\" ;; esac; done; "
                + "[ $# -eq 0 ] || LC_ALL=C apt-cache policy \"$@\"", CandidateVersions::parse);
    }

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
