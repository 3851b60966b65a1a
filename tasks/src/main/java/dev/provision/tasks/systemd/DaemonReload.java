package dev.provision.tasks.systemd;

import dev.provision.dsl.Change;
import dev.provision.dsl.Fact;
import dev.provision.dsl.Facts;
import dev.provision.dsl.Plan;
import dev.provision.dsl.Task;

import java.util.List;
import java.util.Optional;

/**
 * {@code systemctl daemon-reload}, planned only when systemd's loaded view of one of the named
 * units is older than its files. Unit steps reload on their own; this is for unit files that no
 * later unit step names, such as a timer or a target.
 */
public final class DaemonReload implements Task {

    private final Fact<List<UnitStatus>> statuses;

    DaemonReload(List<String> units) {
        if (units.isEmpty()) {
            throw new IllegalArgumentException("name the units whose files may have changed");
        }
        this.statuses = UnitStatuses.of(units);
    }

    static Change change(String reason) {
        return Change.of("reload systemd units (" + reason + ")", "systemctl daemon-reload\n");
    }

    @Override
    public String describe() {
        return "systemd units";
    }

    @Override
    public List<Fact<?>> facts() {
        return List.of(statuses);
    }

    @Override
    public Plan plan(Facts facts) {
        List<String> reasons = facts.get(statuses).stream().map(UnitStatus::staleReason).flatMap(Optional::stream).toList();
        return reasons.isEmpty() ? Plan.ok() : Plan.of(change(String.join("; ", reasons)));
    }
}
