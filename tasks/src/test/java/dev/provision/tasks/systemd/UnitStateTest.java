package dev.provision.tasks.systemd;

import dev.provision.task.Change;
import dev.provision.task.Plan;
import dev.provision.task.Task;
import dev.provision.tasks.support.StubFacts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnitStateTest {

    private static String show(String active, String unitFileState, String needReload) {
        return "Id=x\nLoadState=loaded\nActiveState=" + active + "\nSubState=x\nDropInPaths=\nUnitFileState=" + unitFileState
                + "\nNeedDaemonReload=" + needReload + "\n\n";
    }

    private static Plan plan(Task task, String show) {
        return task.plan(new StubFacts().answer(task.facts().get(0), show));
    }

    private static java.util.List<String> summaries(Plan plan) {
        return plan.changes().stream().map(Change::summary).toList();
    }

    @Test
    void namesDefaultToServices() {
        assertThat(Systemd.service("nginx").describe()).isEqualTo("unit nginx.service");
        assertThat(Systemd.service("getty@tty2").describe()).isEqualTo("unit getty@tty2.service");
        assertThat(Systemd.unit("certbot.timer").describe()).isEqualTo("unit certbot.timer");
    }

    @Test
    void enablesAndStartsWhatIsDisabledAndStopped() {
        Plan plan = plan(Systemd.service("redis-server").enabled().started(), show("inactive", "disabled", "no"));
        assertThat(summaries(plan)).containsExactly("enable redis-server.service", "start redis-server.service");
        assertThat(plan.changes().get(1).script())
                .contains("if ! systemctl start redis-server.service || systemctl is-failed --quiet redis-server.service; then")
                .contains("journalctl -u redis-server.service -n 20 --no-pager");
    }

    @Test
    void nothingToDoWhenEnabledAndRunning() {
        assertThat(plan(Systemd.service("ssh").enabled().started(), show("active", "enabled", "no")).isEmpty()).isTrue();
        assertThat(plan(Systemd.service("journald").enabled(), show("active", "static", "no")).isEmpty()).isTrue();
    }

    @Test
    void changedUnitFilesAreReloadedFirst() {
        assertThat(summaries(plan(Systemd.service("synapse").enabled().started(), show("active", "enabled", "yes"))))
                .containsExactly("reload systemd units (synapse.service changed on disk)");
        assertThat(plan(Systemd.service("synapse"), show("active", "enabled", "yes")).changes().get(0).script())
                .isEqualTo("systemctl daemon-reload\n");
    }

    @Test
    void enablingAMaskedUnitUnmasksItFirst() {
        assertThat(summaries(plan(Systemd.service("x").enabled(), show("inactive", "masked", "no"))))
                .containsExactly("unmask x.service", "enable x.service");
    }

    @Test
    void stopsDisablesAndMasks() {
        assertThat(summaries(plan(Systemd.service("x").disabled().stopped(), show("active", "enabled", "no"))))
                .containsExactly("disable x.service", "stop x.service");
        assertThat(summaries(plan(Systemd.service("x").masked().stopped(), show("failed", "disabled", "no"))))
                .containsExactly("mask x.service");
        assertThat(plan(Systemd.service("x").disabled().stopped(), show("failed", "masked", "no")).isEmpty()).isTrue();
    }

    @Test
    void handlersAlwaysActAndStartWhatIsNotRunning() {
        assertThat(summaries(plan(Systemd.service("x").restarted(), show("active", "enabled", "no")))).containsExactly("restart x.service");
        assertThat(summaries(plan(Systemd.service("x").restarted(), show("inactive", "enabled", "no")))).containsExactly("start x.service");
        assertThat(summaries(plan(Systemd.service("x").reloaded(), show("active", "enabled", "no")))).containsExactly("reload x.service");
        assertThat(summaries(plan(Systemd.service("x").reloaded(), show("failed", "enabled", "no")))).containsExactly("start x.service");
    }

    @Test
    void aConfigCheckGuardsTheReload() {
        String script = plan(Systemd.service("nginx").reloaded().checkConfigWith("nginx -t"), show("active", "enabled", "no"))
                .changes().get(0).script();
        assertThat(script).startsWith("if ! out=$(nginx -t 2>&1); then printf '%s\\n' 'nginx.service left as it is: `nginx -t` rejects the configuration' \"$out\" >&2; exit 1; fi\n")
                .endsWith("systemctl reload nginx.service\n");
    }

    @Test
    void maskedAndStartedContradictEachOther() {
        assertThatThrownBy(() -> Systemd.service("x").masked().started()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void daemonReloadIsPlannedOnlyWhenAUnitIsStale() {
        DaemonReload reload = Systemd.daemonReload("certbot.timer", "synapse.target");
        assertThat(plan(reload, show("active", "enabled", "no") + show("active", "static", "no")).isEmpty()).isTrue();
        assertThat(summaries(plan(reload, show("active", "enabled", "yes") + show("active", "static", "no"))))
                .containsExactly("reload systemd units (certbot.timer changed on disk)");
    }

    @Test
    void dropInsAndUnitFilesAreFilesInEtc() {
        assertThat(Systemd.dropIn("nginx", "limits").describe()).isEqualTo("drop-in limits.conf for nginx.service");
        assertThat(Systemd.dropIn("nginx", "limits").facts()).extracting(f -> f.command())
                .anyMatch(c -> c.startsWith("f=/etc/systemd/system/nginx.service.d/limits.conf;"))
                .anyMatch(c -> c.startsWith("f=/etc/systemd/system/nginx.service.d;"));
        assertThat(Systemd.unitFile("worker@.service").path()).isEqualTo("/etc/systemd/system/worker@.service");
    }
}
