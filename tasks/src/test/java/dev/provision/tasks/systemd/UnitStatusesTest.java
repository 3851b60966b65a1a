package dev.provision.tasks.systemd;

import dev.provision.task.CommandResult;
import dev.provision.task.FactException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnitStatusesTest {

    /** Real output of systemd 252 for an alias, an instance whose template changed, and a missing unit. */
    static final String SHOW = """
            Id=ssh.service
            LoadState=loaded
            ActiveState=active
            SubState=running
            DropInPaths=
            UnitFileState=enabled
            NeedDaemonReload=no

            Id=worker@a.service
            LoadState=loaded
            ActiveState=active
            SubState=running
            DropInPaths=/etc/systemd/system/worker@.service.d/limits.conf
            UnitFileState=disabled
            NeedDaemonReload=yes

            Id=nosuch.service
            LoadState=not-found
            ActiveState=inactive
            SubState=dead
            DropInPaths=
            UnitFileState=
            NeedDaemonReload=no

            DropInOnDisk=/etc/systemd/system/worker@.service.d/limits.conf
            DropInOnDisk=/etc/systemd/system/sshd.service.d/port.conf
            """;

    private final List<String> units = List.of("sshd.service", "worker@a.service", "nosuch.service");

    private final List<UnitStatus> statuses = UnitStatuses.parse(units, new CommandResult(0, SHOW, ""));

    @Test
    void blocksAreMatchedToUnitsByOrderNotById() {
        assertThat(statuses).extracting(UnitStatus::name).containsExactlyElementsOf(units);
        UnitStatus ssh = statuses.get(0);
        assertThat(ssh.running()).isTrue();
        assertThat(ssh.enabled()).isTrue();
        assertThat(ssh.dropInsOnDisk()).containsExactly("/etc/systemd/system/sshd.service.d/port.conf");
    }

    @Test
    void aDropInSystemdHasNotLoadedCallsForAReload() {
        assertThat(statuses.get(0).staleReason()).contains("new drop-in /etc/systemd/system/sshd.service.d/port.conf");
    }

    @Test
    void aChangedTemplateMakesItsInstanceStale() {
        UnitStatus worker = statuses.get(1);
        assertThat(worker.loadedDropIns()).containsExactly("/etc/systemd/system/worker@.service.d/limits.conf");
        assertThat(worker.dropInsOnDisk()).containsExactly("/etc/systemd/system/worker@.service.d/limits.conf");
        assertThat(worker.staleReason()).contains("worker@a.service changed on disk");
    }

    @Test
    void aRemovedDropInCallsForAReload() {
        UnitStatus worker = new UnitStatus("worker@a.service", "loaded", "active", "running", "disabled", false,
                java.util.Set.of("/etc/systemd/system/worker@.service.d/limits.conf"), java.util.Set.of());
        assertThat(worker.staleReason()).contains("removed drop-in /etc/systemd/system/worker@.service.d/limits.conf");
    }

    @Test
    void anUnloadedUnitIsReadAfreshAnyway() {
        UnitStatus missing = statuses.get(2);
        assertThat(missing.loadState()).isEqualTo("not-found");
        assertThat(missing.staleReason()).isEmpty();
        assertThat(missing.stopped()).isTrue();
        assertThat(missing.disabled()).isTrue();
    }

    @Test
    void asksOnceForAllUnitsAndListsTheirDropInDirectories() {
        assertThat(UnitStatuses.of(List.of("nginx.service", "worker@a.service")).command()).isEqualTo(
                "systemctl show -p Id,LoadState,ActiveState,SubState,UnitFileState,NeedDaemonReload,DropInPaths nginx.service worker@a.service; echo; "
                        + "for f in /etc/systemd/system/nginx.service.d/*.conf /etc/systemd/system/worker@a.service.d/*.conf "
                        + "/etc/systemd/system/worker@.service.d/*.conf; do [ -e \"$f\" ] && echo \"DropInOnDisk=$f\"; done; true");
    }

    @Test
    void missingBlocksAreAnError() {
        assertThatThrownBy(() -> UnitStatuses.parse(units, new CommandResult(0, "\n", "Failed to connect to bus")))
                .isInstanceOf(FactException.class).hasMessageContaining("Failed to connect to bus");
    }

    @Test
    void oneShowForSeveralFactsDealsEachItsBlocksAndDropIns() {
        List<List<String>> facts = List.of(List.of("sshd.service"), List.of("worker@a.service", "nosuch.service"));
        assertThat(UnitStatuses.BATCH.command(facts)).isEqualTo(UnitStatuses.command(units));

        List<CommandResult> split = UnitStatuses.BATCH.split(new CommandResult(0, SHOW, ""), facts).orElseThrow();

        assertThat(UnitStatuses.parse(facts.get(0), split.get(0))).containsExactly(statuses.get(0));
        assertThat(UnitStatuses.parse(facts.get(1), split.get(1))).containsExactly(statuses.get(1), statuses.get(2));
    }

    @Test
    void aShowThatMissesUnitsIsNotSplit() {
        List<List<String>> facts = List.of(List.of("sshd.service"), List.of("worker@a.service", "nosuch.service", "more.service"));
        assertThat(UnitStatuses.BATCH.split(new CommandResult(0, SHOW, ""), facts)).isEmpty();
        assertThat(UnitStatuses.BATCH.split(new CommandResult(1, "", "Failed to connect to bus"), facts)).isEmpty();
    }
}
