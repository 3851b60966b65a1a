package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.Plan;
import dev.provision.task.Shell;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Restarts (or reloads) the running units whose main process started before one of the given files
 * last changed, so is running an older configuration. A unit started after the change (by an earlier
 * step, or by the restart of the target that contains it) is left alone, and so is a unit that is not
 * running: the steps start what must run. As a handler this means a first run starts every Synapse
 * process once, not once per notification, and a change to one worker's file restarts that worker alone.
 */
final class RestartOutdated extends OneFactTask<List<RestartOutdated.Unit>> {

    private final boolean reload;

    record Unit(String name, String activeState, Optional<String> newerFile) {

        boolean outdated() {
            return (activeState.equals("active") || activeState.equals("activating") || activeState.equals("reloading"))
                    && newerFile.isPresent();
        }
    }

    private RestartOutdated(List<String> units, List<String> files, boolean reload) {
        super("units " + String.join(", ", units), status(units, files));
        this.reload = reload;
    }

    static RestartOutdated restart(List<String> units, List<String> files) {
        return new RestartOutdated(units, files, false);
    }

    /** A reload (SIGHUP for Synapse: it rereads its log configuration) instead of a restart. */
    static RestartOutdated reload(List<String> units, List<String> files) {
        return new RestartOutdated(units, files, true);
    }

    @Override
    Plan planFor(List<Unit> units) {
        List<Unit> outdated = units.stream().filter(Unit::outdated).toList();
        if (outdated.isEmpty()) {
            return Plan.ok();
        }
        String verb = reload ? "reload" : "restart";
        String names = outdated.stream().map(Unit::name).map(Shell::quote).collect(Collectors.joining(" "));
        String why = outdated.stream().map(u -> u.name() + " (older than " + u.newerFile().orElseThrow() + ")")
                .collect(Collectors.joining(", "));
        return Plan.of(Change.of(verb + " " + why,
                "if ! systemctl " + verb + " " + names + "; then\n"
                        + "  journalctl -n 20 --no-pager -o short-iso " + outdated.stream().map(u -> "-u " + Shell.quote(u.name()))
                        .collect(Collectors.joining(" ")) + " >&2\n"
                        + "  exit 1\n"
                        + "fi\n"));
    }

    /** One line per unit: name, ActiveState and the first file changed after its main process started (if any). */
    private static Fact<List<Unit>> status(List<String> units, List<String> files) {
        if (units.isEmpty() || files.isEmpty()) {
            throw new IllegalArgumentException("name the units and the files they read");
        }
        String fileList = files.stream().map(Shell::quote).collect(Collectors.joining(" "));
        String command = "for u in " + units.stream().map(Shell::quote).collect(Collectors.joining(" ")) + "; do "
                + "started=$(systemctl show -P ExecMainStartTimestamp --timestamp=us+utc \"$u\"); newer=; "
                + "[ -z \"$started\" ] || newer=$(find " + fileList + " -maxdepth 0 -newermt \"$started\" 2>/dev/null | head -n 1); "
                + "printf '%s\\t%s\\t%s\\n' \"$u\" \"$(systemctl show -P ActiveState \"$u\")\" \"$newer\"; done";
        return Fact.of(command, RestartOutdated::parse);
    }

    private static List<Unit> parse(CommandResult result) {
        return result.stdout().lines().filter(line -> !line.isBlank()).map(line -> {
            String[] fields = line.split("\t", -1);
            return new Unit(fields[0], fields[1], fields[2].isEmpty() ? Optional.empty() : Optional.of(fields[2]));
        }).toList();
    }
}
