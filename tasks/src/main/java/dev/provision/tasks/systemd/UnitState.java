package dev.provision.tasks.systemd;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Shell;
import dev.provision.task.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a unit starts at boot (enabled, disabled, masked) and whether it runs (started,
 * stopped), or an action for a handler (restarted, reloaded), which is always planned: a unit that
 * is not running is started instead. When systemd's loaded view of the unit is older than its
 * files, the plan begins with {@code systemctl daemon-reload}; the facts of later steps are read
 * again after it, so a run reloads once however many units changed.
 *
 * <p>A start is checked: when {@code systemctl start} fails, or the unit has already failed after it
 * (a service that dies right after starting), the change fails with the unit's last journal lines.
 */
public final class UnitState implements Task {

    enum Boot { ENABLED, DISABLED, MASKED }

    enum Run { STARTED, STOPPED, RESTARTED, RELOADED }

    private final String unit;
    private final Fact<List<UnitStatus>> status;
    private Optional<Boot> boot = Optional.empty();
    private Optional<Run> run = Optional.empty();
    private Optional<String> configCheck = Optional.empty();

    UnitState(String unit) {
        this.unit = unit;
        this.status = UnitStatuses.of(List.of(unit));
    }

    public UnitState enabled() {
        return boot(Boot.ENABLED);
    }

    public UnitState disabled() {
        return boot(Boot.DISABLED);
    }

    /** Cannot be started at all, by hand or as a dependency. */
    public UnitState masked() {
        return boot(Boot.MASKED);
    }

    public UnitState started() {
        return run(Run.STARTED);
    }

    public UnitState stopped() {
        return run(Run.STOPPED);
    }

    /** For handlers: restart (or start, if it is not running). */
    public UnitState restarted() {
        return run(Run.RESTARTED);
    }

    /** For handlers: reload (or start, if it is not running). */
    public UnitState reloaded() {
        return run(Run.RELOADED);
    }

    /**
     * A command that must accept the configuration before the unit is started, restarted or
     * reloaded, such as {@code nginx -t}: a broken configuration fails the change and leaves the
     * running unit alone.
     */
    public UnitState checkConfigWith(String command) {
        this.configCheck = Optional.of(command);
        return this;
    }

    private UnitState boot(Boot boot) {
        this.boot = Optional.of(boot);
        return consistent();
    }

    private UnitState run(Run run) {
        this.run = Optional.of(run);
        return consistent();
    }

    private UnitState consistent() {
        if (boot.equals(Optional.of(Boot.MASKED)) && run.filter(r -> r != Run.STOPPED).isPresent()) {
            throw new IllegalArgumentException(unit + " cannot be masked and " + run.get().name().toLowerCase() + " at once");
        }
        return this;
    }

    @Override
    public String describe() {
        return "unit " + unit;
    }

    @Override
    public List<Fact<?>> facts() {
        return List.of(status);
    }

    @Override
    public Plan plan(Facts facts) {
        UnitStatus now = facts.get(status).get(0);
        List<Change> changes = new ArrayList<>();
        now.staleReason().ifPresent(reason -> changes.add(DaemonReload.change(reason)));
        boot.ifPresent(wanted -> changes.addAll(bootChanges(wanted, now)));
        run.ifPresent(wanted -> changes.addAll(runChanges(wanted, now)));
        return Plan.of(changes);
    }

    private List<Change> bootChanges(Boot wanted, UnitStatus now) {
        return switch (wanted) {
            case ENABLED -> now.masked()
                    ? List.of(systemctl("unmask"), systemctl("enable"))
                    : now.enabled() ? List.of() : List.of(systemctl("enable"));
            case DISABLED -> now.disabled() ? List.of() : List.of(systemctl("disable"));
            case MASKED -> now.masked() ? List.of() : List.of(systemctl("mask"));
        };
    }

    private List<Change> runChanges(Run wanted, UnitStatus now) {
        return switch (wanted) {
            case STARTED -> now.running() ? List.of() : List.of(start("start"));
            case STOPPED -> now.stopped() ? List.of() : List.of(systemctl("stop"));
            case RESTARTED -> List.of(start(now.running() ? "restart" : "start"));
            case RELOADED -> List.of(now.running()
                    ? Change.of("reload " + unit, checked() + "systemctl reload " + Shell.quote(unit) + "\n")
                    : start("start"));
        };
    }

    private Change systemctl(String verb) {
        return Change.of(verb + " " + unit, "systemctl " + verb + " " + Shell.quote(unit) + "\n");
    }

    private Change start(String verb) {
        String name = Shell.quote(unit);
        return Change.of(verb + " " + unit, checked()
                + "if ! systemctl " + verb + " " + name + " || systemctl is-failed --quiet " + name + "; then\n"
                + "  { echo " + Shell.quote(unit + " did not " + verb + "; its last journal lines:") + "; "
                + "journalctl -u " + name + " -n 20 --no-pager -o short-iso; } >&2\n"
                + "  exit 1\n"
                + "fi\n");
    }

    private String checked() {
        return configCheck.map(command -> "if ! out=$(" + command + " 2>&1); then printf '%s\\n' "
                + Shell.quote(unit + " left as it is: `" + command + "` rejects the configuration") + " \"$out\" >&2; exit 1; fi\n")
                .orElse("");
    }
}
