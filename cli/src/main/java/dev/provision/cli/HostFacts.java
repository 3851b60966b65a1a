package dev.provision.cli;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.engine.connect.Connection;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** What {@code provision facts} shows about a host: read-only commands, sent in one batch (one round trip). */
final class HostFacts {

    private record Shown(String label, Fact<String> fact) {
    }

    private static final String UNKNOWN = "unknown";

    private static final List<Shown> FACTS = List.of(
            shown("os", "sed -n 's/^PRETTY_NAME=//p' /etc/os-release | tr -d '\"'", HostFacts::firstLine),
            shown("kernel", "uname -sr", HostFacts::firstLine),
            shown("hostname", "uname -n", HostFacts::firstLine),
            shown("architecture", "uname -m", HostFacts::firstLine),
            shown("memory", "awk '/^MemTotal:/ { print $2 }' /proc/meminfo", HostFacts::gibibytes),
            shown("systemd", "if [ -d /run/systemd/system ]; then systemctl is-system-running; else echo no; fi",
                    result -> systemd(firstLine(result))),
            shown("packages", """
                    if command -v dpkg-query >/dev/null; then echo "$(dpkg-query -W -f '${db:Status-Abbrev}\\n' | grep -c '^ii') (dpkg)"
                    elif command -v rpm >/dev/null; then echo "$(rpm -qa | wc -l) (rpm)"
                    elif command -v apk >/dev/null; then echo "$(apk info | wc -l) (apk)"
                    fi""", HostFacts::firstLine));

    private HostFacts() {
    }

    /** Label to value, in a fixed order; a value that cannot be found is "unknown". */
    static Map<String, String> gather(Connection connection, Duration timeout) {
        List<CommandResult> results = connection.run(FACTS.stream().map(shown -> shown.fact().command()).toList(), timeout);
        Map<String, String> facts = new LinkedHashMap<>();
        for (int i = 0; i < FACTS.size(); i++) {
            facts.put(FACTS.get(i).label(), FACTS.get(i).fact().parse(results.get(i)));
        }
        return facts;
    }

    private static Shown shown(String label, String command, Function<CommandResult, String> parser) {
        return new Shown(label, Fact.of(command, parser));
    }

    private static String firstLine(CommandResult result) {
        String line = result.stdout().strip().lines().findFirst().orElse("");
        return line.isEmpty() ? UNKNOWN : line;
    }

    private static String gibibytes(CommandResult result) {
        try {
            return String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(result.stdout().strip()) / (1024.0 * 1024.0));
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
    }

    /** {@code systemctl is-system-running} says running, degraded, starting...; without systemd the command says no. */
    private static String systemd(String state) {
        return state.equals("no") || state.equals(UNKNOWN) ? state : "yes (" + state + ")";
    }
}
