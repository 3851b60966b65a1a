package dev.provision.tasks.systemd;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactBatch;
import dev.provision.task.FactException;
import dev.provision.task.Shell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fact for a set of units: one {@code systemctl show} for all of them (blank-line separated
 * blocks, in the order the units were named; {@code Id} is not used to match since an alias shows
 * its target's name), followed by the drop-in files on disk in each unit's and its template's
 * {@code .d} directory.
 */
final class UnitStatuses {

    private static final String PROPERTIES = "Id,LoadState,ActiveState,SubState,UnitFileState,NeedDaemonReload,DropInPaths";
    private static final String ON_DISK = "DropInOnDisk=";

    private UnitStatuses() {
    }

    static Fact<List<UnitStatus>> of(List<String> units) {
        List<String> names = List.copyOf(units);
        return Fact.batched(BATCH, names, command(names), result -> parse(names, result));
    }

    static String command(List<String> units) {
        String names = units.stream().map(Shell::quote).collect(Collectors.joining(" "));
        String dropInDirectories = units.stream().flatMap(unit -> UnitFiles.dropInDirectories(unit).stream())
                .distinct().map(dir -> Shell.quote(dir) + "/*.conf").collect(Collectors.joining(" "));
        return "systemctl show -p " + PROPERTIES + " " + names + "; echo; "
                + "for f in " + dropInDirectories + "; do [ -e \"$f\" ] && echo \"" + ON_DISK + "$f\"; done; true";
    }

    /**
     * The unit facts of a run as one {@code systemctl show} (each call costs tens of milliseconds on a
     * busy host, more than showing twenty units at once): the blocks are dealt back in order, and every
     * fact gets the drop-ins found in its own units' directories.
     */
    static final FactBatch<List<String>> BATCH = new FactBatch<>() {
        @Override
        public String command(List<List<String>> unitLists) {
            return UnitStatuses.command(unitLists.stream().flatMap(List::stream).toList());
        }

        @Override
        public Optional<List<CommandResult>> split(CommandResult result, List<List<String>> unitLists) {
            List<String> blocks = new ArrayList<>();
            List<String> onDisk = new ArrayList<>();
            for (String block : result.stdout().split("\n\\s*\n")) {
                block.lines().filter(line -> line.startsWith(ON_DISK)).forEach(onDisk::add);
                if (block.lines().anyMatch(line -> line.startsWith("Id="))) {
                    blocks.add(block.lines().filter(line -> !line.startsWith(ON_DISK)).collect(Collectors.joining("\n")));
                }
            }
            if (!result.succeeded() || blocks.size() != unitLists.stream().mapToInt(List::size).sum()) {
                return Optional.empty();
            }
            List<CommandResult> results = new ArrayList<>();
            int next = 0;
            for (List<String> units : unitLists) {
                List<String> mine = blocks.subList(next, next + units.size());
                next += units.size();
                String dropIns = onDisk.stream()
                        .filter(line -> units.stream().flatMap(unit -> UnitFiles.dropInDirectories(unit).stream())
                                .anyMatch(dir -> line.startsWith(ON_DISK + dir + "/")))
                        .map(line -> line + "\n").collect(Collectors.joining());
                results.add(new CommandResult(0, String.join("\n\n", mine) + "\n\n" + dropIns, ""));
            }
            return Optional.of(results);
        }
    };

    static List<UnitStatus> parse(List<String> units, CommandResult result) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Set<String> onDisk = new LinkedHashSet<>();
        Map<String, String> block = new HashMap<>();
        for (String line : (result.stdout() + "\n").split("\n", -1)) {
            if (line.startsWith(ON_DISK)) {
                onDisk.add(line.substring(ON_DISK.length()));
            } else if (line.isBlank()) {
                if (block.containsKey("Id")) {
                    blocks.add(block);
                }
                block = new HashMap<>();
            } else if (line.indexOf('=') > 0) {
                block.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        if (blocks.size() != units.size()) {
            throw new FactException("systemctl show described " + blocks.size() + " of the units " + units + ": " + result.errorText());
        }
        List<UnitStatus> statuses = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            String unit = units.get(i);
            Map<String, String> b = blocks.get(i);
            Set<String> mine = onDisk.stream()
                    .filter(path -> UnitFiles.dropInDirectories(unit).stream().anyMatch(dir -> path.startsWith(dir + "/")))
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            Set<String> loaded = b.getOrDefault("DropInPaths", "").isBlank() ? Set.of() : Set.copyOf(List.of(b.get("DropInPaths").trim().split(" +")));
            statuses.add(new UnitStatus(unit, b.getOrDefault("LoadState", ""), b.getOrDefault("ActiveState", ""),
                    b.getOrDefault("SubState", ""), b.getOrDefault("UnitFileState", ""), "yes".equals(b.get("NeedDaemonReload")),
                    loaded, mine));
        }
        return statuses;
    }
}
