package dev.provision.tasks.apt;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How fresh apt's package lists are. apt itself keeps no time of the last update (the lists keep the
 * servers' modification times), so every update this library runs touches
 * {@code /var/lib/apt/periodic/update-success-stamp}, the stamp Debian's periodic updates use too;
 * without it the lists directory's own time stands in. Source and key files newer than that stamp
 * were changed after the last update, so the lists do not yet reflect them.
 */
public record AptCache(long now, long updated, int indexes, List<String> newerSources) {

    static final String STAMP = "/var/lib/apt/periodic/update-success-stamp";

    /** Two processes, {@code date} and one {@code find}: the stamp's time and the newer sources in one walk. */
    public static final Fact<AptCache> FACT = Fact.of(
            "s=" + STAMP + "; [ -e \"$s\" ] || s=/var/lib/apt/lists; date +'now %s'; "
                    + "set -- /var/lib/apt/lists/*_Packages*; [ -e \"$1\" ] || shift; echo \"indexes $#\"; "
                    + "find \"$s\" /etc/apt/sources.list /etc/apt/sources.list.d /etc/apt/keyrings "
                    + "\\( -path \"$s\" -prune -printf 'updated %T@\\n' \\) -o \\( -type f -newer \"$s\" -printf 'newer %p\\n' \\) 2>/dev/null",
            AptCache::parse);

    /** Why the lists must be updated before installing, or empty when they are fresh enough. */
    public List<String> staleness(Optional<Duration> maxAge) {
        List<String> reasons = new ArrayList<>();
        if (indexes == 0) {
            reasons.add("apt has no package lists yet");
        }
        maxAge.filter(age -> now - updated > age.toSeconds()).ifPresent(age ->
                reasons.add("package lists are older than " + age.toString().substring(2).toLowerCase()));
        newerSources.forEach(source -> reasons.add(source + " changed since the last update"));
        return reasons;
    }

    static AptCache parse(CommandResult result) {
        long now = -1;
        long updated = -1;
        int indexes = -1;
        List<String> newer = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            int space = line.indexOf(' ');
            if (space < 0) {
                continue;
            }
            String value = line.substring(space + 1).trim();
            switch (line.substring(0, space)) {
                case "now" -> now = Long.parseLong(value);
                case "updated" -> updated = Long.parseLong(value.replaceFirst("\\..*", ""));
                case "indexes" -> indexes = Integer.parseInt(value);
                case "newer" -> newer.add(value);
                default -> throw new FactException("unexpected line about apt's lists: " + line);
            }
        }
        if (now < 0 || updated < 0 || indexes < 0) {
            throw new FactException("could not tell how fresh apt's lists are: " + result.errorText());
        }
        return new AptCache(now, updated, indexes, List.copyOf(newer));
    }
}
