package dev.provision.playbooks.synapse;

import dev.provision.dsl.InlinePlaybook;
import dev.provision.engine.report.HostReport;
import dev.provision.task.CommandResult;
import dev.provision.tasks.apt.Apt;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import dev.provision.testkit.HostRuns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tuning against Debian's PostgreSQL 15: it converges, check mode changes nothing, a drift made by
 * hand is reported and corrected, and PostgreSQL restarts only for settings that need a server start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresTuningIT {

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    /** 25% of the machine running the tests would be a large share for one of several containers. */
    private static final PostgresTuning TUNING = PostgresTuning.of(170, "17 Synapse processes x cp_max 10",
            Map.of("host variable postgres_shared_buffers", Map.entry(PostgresSetting.SHARED_BUFFERS, "192MB")));

    private static final Consumer<InlinePlaybook> TUNED = p -> {
        p.step("postgresql", Apt.present("postgresql"));
        p.step("tuned", new PostgresTuned(TUNING));
    };

    @BeforeAll
    static void installPostgresql() {
        assertThat(HostRuns.on(host).apply(p -> p.step("postgresql", Apt.present("postgresql"))).failed()).isZero();
    }

    @Test
    @Order(1)
    void everySettingRunsAsComputedAndASecondRunChangesNothing() {
        Converge.inline(TUNED).cycle(host).converges();

        PostgresTuned.HostState state = PostgresTuned.parse(factAnswer());
        PostgresTuning.Tuned tuned = TUNING.settingsFor(state.resources());
        assertThat(tuned.values()).hasSize(PostgresSetting.values().length);
        tuned.values().forEach((setting, value) -> {
            PostgresTuned.ServerSetting running = state.settings().get(setting.key());
            assertThat(setting.parseRunning(running.setting(), running.unit())).as(setting.key()).isEqualTo(value);
            assertThat(running.configured()).as(setting.key() + " in postgresql.auto.conf").hasValue(setting.render(value));
        });
        assertThat(psql("show shared_buffers")).isEqualTo("192MB");
        assertThat(psql("show max_connections")).isEqualTo("190");
    }

    @Test
    @Order(2)
    void aReloadableDriftIsCorrectedByAReloadAlone() {
        String started = postmasterStart();

        Converge.inline(TUNED).cycle(host)
                .correctsDrift(sql("ALTER SYSTEM SET work_mem = '1MB'") + " && " + sql("select pg_reload_conf()"))
                .correctsDrift("sed -i \"s/^checkpoint_timeout = .*/checkpoint_timeout = '5min'/\" /var/lib/postgresql/15/main/postgresql.auto.conf && "
                        + sql("select pg_reload_conf()"))
                .correctsDrift(sql("ALTER SYSTEM SET random_page_cost = 4"));

        assertThat(postmasterStart()).as("no restart for reloadable settings").isEqualTo(started);
        assertThat(psql("show work_mem")).isNotEqualTo("1MB");
        assertThat(psql("show checkpoint_timeout")).isEqualTo("15min");
    }

    @Test
    @Order(3)
    void aServerStartSettingIsCorrectedWithOneRestart() {
        String started = postmasterStart();

        Converge.inline(TUNED).cycle(host).correctsDrift(sql("ALTER SYSTEM SET shared_buffers = '128MB'") + " && systemctl restart postgresql@15-main");

        assertThat(postmasterStart()).isNotEqualTo(started);
        assertThat(psql("show shared_buffers")).isEqualTo("192MB");
    }

    @Test
    @Order(4)
    void aServerThatDoesNotComeBackIsPutBackAsItWas() {
        // the next start of the cluster fails once, as one refused by the kernel would
        host.exec("mkdir -p /etc/systemd/system/postgresql@15-main.service.d && printf '%s\\n' '[Service]'"
                + " 'ExecStartPre=/bin/sh -c \"if [ -e /run/fail-next-start ]; then rm /run/fail-next-start; exit 1; fi\"'"
                + " > /etc/systemd/system/postgresql@15-main.service.d/fail-once.conf && systemctl daemon-reload").requireSuccess();
        host.exec(sql("ALTER SYSTEM SET shared_buffers = '128MB'") + " && systemctl restart postgresql@15-main && touch /run/fail-next-start")
                .requireSuccess();

        HostReport failed = HostRuns.on(host).apply(p -> p.step("tuned", new PostgresTuned(TUNING)));

        assertThat(failed.failed()).isEqualTo(1);
        assertThat(failed.results().get(0).message()).hasValueSatisfying(message ->
                assertThat(message).contains("postgresql.auto.conf is back as it was and PostgreSQL runs with it"));
        assertThat(psql("show shared_buffers")).as("running again, with the settings it had").isEqualTo("128MB");
        assertThat(host.exec("test -e /var/lib/postgresql/15/main/postgresql.auto.conf.provision-rollback").succeeded()).isFalse();

        host.exec("rm /etc/systemd/system/postgresql@15-main.service.d/fail-once.conf && systemctl daemon-reload").requireSuccess();
        Converge.inline(TUNED).cycle(host).converges();
        assertThat(psql("show shared_buffers")).isEqualTo("192MB");
    }

    private static String postmasterStart() {
        return psql("select pg_postmaster_start_time()");
    }

    private static CommandResult factAnswer() {
        DebianHost.ExecResult result = host.exec(PostgresTuned.FACT.command());
        return new CommandResult(result.exitCode(), result.stdout(), result.stderr());
    }

    private static String sql(String statement) {
        return "cd / && runuser -u postgres -- psql -Atc \"" + statement + "\"";
    }

    private static String psql(String statement) {
        return host.exec(sql(statement)).requireSuccess().stdout().trim();
    }
}
