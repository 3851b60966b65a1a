package dev.provision.it.tasks;

import dev.provision.dsl.Handler;
import dev.provision.dsl.InlinePlaybook;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.Status;
import dev.provision.tasks.systemd.Systemd;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import dev.provision.testkit.HostRuns;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class SystemdIT {

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    private static Consumer<InlinePlaybook> units(String sleep) {
        return p -> {
            Handler reload = p.handler("reload systemd", Systemd.daemonReload());
            Handler restart = p.handler("restart demo", Systemd.service("demo").restarted());
            p.step("demo unit", Systemd.unitFile("demo.service").content("""
                    [Service]
                    ExecStart=/bin/sleep %s
                    [Install]
                    WantedBy=multi-user.target
                    """.formatted(sleep))).notifies(reload, restart);
            p.step("demo limits", Systemd.dropIn("demo", "limits").content("[Service]\nLimitNOFILE=4096\n")).notifies(reload, restart);
            p.step("worker template", Systemd.unitFile("worker@.service").content("""
                    [Service]
                    Type=notify
                    ExecStart=/bin/sh -c 'systemd-notify --ready; exec sleep 1000'
                    NotifyAccess=all
                    [Install]
                    WantedBy=multi-user.target
                    """)).notifies(reload);
            p.flushHandlers();
            p.step("demo running", Systemd.service("demo").enabled().started());
            p.step("worker a", Systemd.service("worker@a").enabled().started());
            p.step("no cron", Systemd.service("cron-like").masked());
        };
    }

    @Test
    void unitsDropInsAndStatesConverge() {
        Converge.inline(units("1000")).cycle(host).converges()
                .correctsDrift("systemctl stop demo")
                .correctsDrift("systemctl disable worker@a");
        // a drifted drop-in: check names the file and the reload flushed after it, exactly as apply then does
        Converge.inline(units("1000")).cycle(host)
                .correctsDrift("echo LimitNOFILE=8 >> /etc/systemd/system/demo.service.d/limits.conf && systemctl daemon-reload");
        assertThat(host.exec("systemctl show -p LimitNOFILE --value demo").stdout().trim()).isEqualTo("4096");
        assertThat(host.exec("systemctl is-enabled worker@a").stdout().trim()).isEqualTo("enabled");
        assertThat(host.exec("systemctl is-enabled cron-like.service").stdout().trim()).isEqualTo("masked");
    }

    @Test
    void aChangedUnitIsReloadedOnceAndRestartedByItsHandler() {
        HostRuns converge = HostRuns.on(host);
        converge.apply(units("1000"));
        String pidBefore = host.exec("systemctl show -p MainPID --value demo").stdout().trim();
        HostReport report = converge.apply(units("2000"));
        assertThat(HostRuns.named(report, Status.CHANGED)).containsExactly("demo unit", "reload systemd", "restart demo");
        assertThat(report.results().stream().flatMap(r -> r.changes().stream()).filter(c -> c.startsWith("reload systemd units")).toList())
                .hasSize(1);
        assertThat(host.exec("systemctl show -p ExecStart --value demo").stdout()).contains("2000");
        assertThat(host.exec("systemctl show -p MainPID --value demo").stdout().trim()).isNotEqualTo(pidBefore);
        assertThat(host.exec("systemctl show -p NeedDaemonReload --value demo").stdout().trim()).isEqualTo("no");
    }

    @Test
    void aServiceThatFailsToStartFailsTheTaskWithItsJournal() {
        HostReport report = HostRuns.on(host).apply(p -> {
            p.step("broken unit", Systemd.unitFile("broken.service")
                    .content("[Service]\nType=oneshot\nExecStart=/bin/sh -c 'echo boom-from-broken; exit 3'\n"));
            p.step("broken running", Systemd.service("broken").started());
        });
        assertThat(report.results()).extracting(r -> r.status()).containsExactly(Status.CHANGED, Status.FAILED);
        assertThat(report.results().get(1).message()).hasValueSatisfying(m -> assertThat(m)
                .contains("broken.service did not start").contains("boom-from-broken"));
    }
}
