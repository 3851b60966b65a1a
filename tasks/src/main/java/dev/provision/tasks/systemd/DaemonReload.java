package dev.provision.tasks.systemd;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;

import java.util.List;
import java.util.Optional;

/**
 * {@code systemctl daemon-reload}. With units named, planned only when systemd's loaded view of
 * one of them is older than its files (a step for unit files that no later unit step names, such
 * as a timer or a target). Without units, it always reloads: the handler that unit file steps
 * notify, flushed before the services that use them start, so that several changed units cost one
 * reload and check mode shows that reload exactly where apply makes it.
 */
public final class DaemonReload implements Task {

    private final Optional<Fact<List<UnitStatus>>> statuses;

    DaemonReload(List<String> units) {
        this.statuses = units.isEmpty() ? Optional.empty() : Optional.of(UnitStatuses.of(units));
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
        return statuses.<List<Fact<?>>>map(List::of).orElse(List.of());
    }

    @Override
    public Plan plan(Facts facts) {
        if (statuses.isEmpty()) {
            return Plan.of(change("unit files changed"));
        }
        List<String> reasons = facts.get(statuses.get()).stream().map(UnitStatus::staleReason).flatMap(Optional::stream).toList();
        return reasons.isEmpty() ? Plan.ok() : Plan.of(change(String.join("; ", reasons)));
    }
}
