package dev.provision.tasks.systemd;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One unit as systemd reports it, plus the drop-ins for it that are on disk under
 * /etc/systemd/system. systemd (252 at least) notices changed unit files and drop-ins through
 * {@code NeedDaemonReload}, but not a drop-in in a directory it did not see at the last reload, so
 * on-disk drop-ins are compared with the loaded {@code DropInPaths} as well.
 */
public record UnitStatus(String name, String loadState, String activeState, String subState, String unitFileState,
                         boolean needDaemonReload, Set<String> loadedDropIns, Set<String> dropInsOnDisk) {

    private static final Set<String> RUNNING = Set.of("active", "reloading");
    private static final Set<String> ENABLED = Set.of("enabled", "static", "alias", "generated", "transient", "indirect");
    private static final Set<String> DISABLEABLE = Set.of("enabled", "enabled-runtime", "linked", "linked-runtime");

    public boolean running() {
        return RUNNING.contains(activeState);
    }

    /** Neither running nor starting or stopping: a stop has nothing to do. */
    public boolean stopped() {
        return activeState.equals("inactive") || activeState.equals("failed");
    }

    /** Enabled, or nothing to enable: a static, generated or transient unit is as enabled as it gets. */
    public boolean enabled() {
        return ENABLED.contains(unitFileState);
    }

    public boolean disabled() {
        return !DISABLEABLE.contains(unitFileState);
    }

    public boolean masked() {
        return unitFileState.equals("masked") || loadState.equals("masked");
    }

    /** Why systemd's loaded view of the unit is older than its files, if it is. */
    public Optional<String> staleReason() {
        if (!loadState.equals("loaded")) {
            return Optional.empty(); // not loaded: systemd reads the files afresh when the unit is next used
        }
        if (needDaemonReload) {
            return Optional.of(name + " changed on disk");
        }
        List<String> unseen = dropInsOnDisk.stream().filter(path -> !loadedDropIns.contains(path)).sorted().toList();
        if (!unseen.isEmpty()) {
            return Optional.of("new drop-in " + String.join(", ", unseen));
        }
        List<String> gone = loadedDropIns.stream()
                .filter(path -> path.startsWith(UnitFiles.DIRECTORY + "/") && !dropInsOnDisk.contains(path)).sorted().toList();
        return gone.isEmpty() ? Optional.empty() : Optional.of("removed drop-in " + String.join(", ", gone));
    }
}
