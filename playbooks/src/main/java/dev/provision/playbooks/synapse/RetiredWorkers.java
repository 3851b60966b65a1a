package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.Plan;
import dev.provision.task.Shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Workers that left the topology or its machine: their running units are stopped and their configuration and log
 * configuration removed (the target no longer wants them, and the template's AssertPathExists keeps
 * them from being started by hand). The playbook owns every {@code *.yaml} in the two directories.
 */
final class RetiredWorkers extends OneFactTask<RetiredWorkers.Found> {

    private static final String UNIT_PREFIX = "matrix-synapse-worker@";
    private static final String UNIT_SUFFIX = ".service";
    private static final String FILES_FOLLOW = "--files--";

    private final Set<String> workers;

    record Found(List<String> runningUnits, List<String> files) {
    }

    /** Workers not (or no longer) placed on {@code machine}. */
    RetiredWorkers(SynapseTopology topology, String machine) {
        super("workers outside the topology", found(List.of(parent(topology.workerConfigPath("x")), parent(topology.workerLogConfigPath("x")))));
        this.workers = topology.workersOn(machine).stream().map(SynapseWorker::name).collect(Collectors.toSet());
    }

    /** The running worker units, then the files in the worker directories. */
    private static Fact<Found> found(List<String> directories) {
        return Fact.of("systemctl list-units --plain --no-legend --state=active,activating,reloading "
                        + Shell.quote(UNIT_PREFIX + "*" + UNIT_SUFFIX) + " | cut -d' ' -f1; echo " + FILES_FOLLOW + "; "
                        + "for f in " + directories.stream().map(d -> Shell.quote(d) + "/*.yaml").collect(Collectors.joining(" "))
                        + "; do [ -e \"$f\" ] && echo \"$f\"; done; true",
                RetiredWorkers::parse);
    }

    @Override
    Plan planFor(Found now) {
        List<Change> changes = new ArrayList<>();
        List<String> stop = now.runningUnits().stream()
                .filter(unit -> unit.startsWith(UNIT_PREFIX) && unit.endsWith(UNIT_SUFFIX))
                .filter(unit -> !workers.contains(unit.substring(UNIT_PREFIX.length(), unit.length() - UNIT_SUFFIX.length())))
                .toList();
        if (!stop.isEmpty()) {
            changes.add(Change.of("stop " + String.join(", ", stop),
                    "systemctl stop " + stop.stream().map(Shell::quote).collect(Collectors.joining(" ")) + "\n"));
        }
        List<String> remove = now.files().stream()
                .filter(path -> !workers.contains(path.substring(path.lastIndexOf('/') + 1, path.length() - ".yaml".length())))
                .toList();
        if (!remove.isEmpty()) {
            changes.add(Change.of("remove " + String.join(", ", remove),
                    "rm -f -- " + remove.stream().map(Shell::quote).collect(Collectors.joining(" ")) + "\n"));
        }
        return Plan.of(changes);
    }

    private static Found parse(CommandResult result) {
        List<String> lines = result.stdout().lines().filter(line -> !line.isBlank()).toList();
        int split = lines.indexOf(FILES_FOLLOW);
        return new Found(lines.subList(0, Math.max(split, 0)), split < 0 ? List.of() : lines.subList(split + 1, lines.size()));
    }

    private static String parent(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }
}
