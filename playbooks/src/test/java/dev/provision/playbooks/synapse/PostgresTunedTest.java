package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.FactException;
import dev.provision.task.Plan;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the tuning task plans against PostgreSQL's answers: what is written, what restarts, what reloads. */
class PostgresTunedTest {

    private static final long GIB_KB = 1024 * 1024;
    private static final PostgresTuning GUIDE = PostgresTuning.of(170, "17 Synapse processes x cp_max 10", Map.of());
    private static final PostgresTuning.Resources HOST = new PostgresTuning.Resources(16 * GIB_KB, 8, OptionalInt.of(15),
            PostgresTuning.Storage.SOLID_STATE);

    /**
     * Per tuned setting, as PostgreSQL 15 on Debian reports it: pg_settings' unit and context, the
     * default running value, and the value in a configuration file (Debian's postgresql.conf sets some).
     */
    private static final Map<String, List<String>> PG15 = Map.ofEntries(
            Map.entry("max_connections", List.of("", "postmaster", "100", "100")),
            Map.entry("shared_buffers", List.of("8kB", "postmaster", "16384", "128MB")),
            Map.entry("effective_cache_size", List.of("8kB", "user", "524288", "")),
            Map.entry("max_worker_processes", List.of("", "postmaster", "8", "")),
            Map.entry("max_parallel_workers", List.of("", "user", "8", "")),
            Map.entry("max_parallel_workers_per_gather", List.of("", "user", "2", "")),
            Map.entry("max_parallel_maintenance_workers", List.of("", "user", "2", "")),
            Map.entry("work_mem", List.of("kB", "user", "4096", "")),
            Map.entry("maintenance_work_mem", List.of("kB", "user", "65536", "")),
            Map.entry("wal_buffers", List.of("8kB", "postmaster", "512", "")),
            Map.entry("min_wal_size", List.of("MB", "sighup", "80", "80MB")),
            Map.entry("max_wal_size", List.of("MB", "sighup", "1024", "1GB")),
            Map.entry("checkpoint_timeout", List.of("s", "sighup", "300", "")),
            Map.entry("checkpoint_completion_target", List.of("", "sighup", "0.9", "")),
            Map.entry("random_page_cost", List.of("", "user", "4", "")),
            Map.entry("effective_io_concurrency", List.of("", "user", "1", "")));

    private static final Map<String, String[]> DEFAULTS = PG15.entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> new String[] {e.getValue().get(2), e.getValue().get(3)}));

    private static String answer(Map<String, String[]> runningAndConfigured) {
        StringBuilder out = new StringBuilder("memory_kb\t" + 16 * GIB_KB + "\nmemory_limit\tmax\ncores\t8\nrotational\t0\nversion\t150013\n");
        runningAndConfigured.forEach((name, values) -> out.append(String.join("\t", "setting", name, values[0],
                PG15.get(name).get(0), PG15.get(name).get(1), values[1])).append('\n'));
        return out.toString();
    }

    /** Every setting running and configured as the tuning wants it. */
    private static Map<String, String[]> converged() {
        Map<String, String[]> settings = new LinkedHashMap<>();
        GUIDE.settingsFor(HOST).values().forEach((setting, value) -> {
            String unit = PG15.get(setting.key()).get(0);
            double perUnit = switch (unit) {
                case "8kB" -> 8;
                case "MB" -> 1024;
                default -> 1;
            };
            String running = unit.isEmpty() || unit.equals("s") ? setting.render(value).replaceAll("[a-z]+$", "") : String.valueOf((long) (value / perUnit));
            if (setting == PostgresSetting.CHECKPOINT_TIMEOUT) {
                running = String.valueOf((long) (double) value);
            }
            settings.put(setting.key(), new String[] {running, setting.render(value)});
        });
        return settings;
    }

    private static Map<String, String[]> with(Map<String, String[]> settings, String name, String running, String configured) {
        Map<String, String[]> changed = new LinkedHashMap<>(settings);
        changed.put(name, new String[] {running, configured});
        return changed;
    }

    private static Plan plan(PostgresTuning tuning, String stdout) {
        return new PostgresTuned(tuning).planFor(PostgresTuned.parse(new CommandResult(0, stdout, "")));
    }

    private static List<String> summaries(Plan plan) {
        return plan.changes().stream().map(Change::summary).toList();
    }

    @Test
    void aFreshServerGetsEveryValueAndOneRestart() {
        Plan plan = plan(GUIDE, answer(DEFAULTS));

        assertThat(summaries(plan)).containsExactly(
                "set max_connections 100 → 190",
                "set shared_buffers 128MB → 4GB",
                "set effective_cache_size 4GB → 8GB",
                "set max_worker_processes 8, as it runs now",
                "set max_parallel_workers 8, as it runs now",
                "set max_parallel_workers_per_gather 2, as it runs now",
                "set max_parallel_maintenance_workers 2, as it runs now",
                "set work_mem 4MB → 20MB",
                "set maintenance_work_mem 64MB → 1GB",
                "set wal_buffers 4MB → 16MB",
                "set min_wal_size 80MB → 1GB",
                "set max_wal_size 1GB → 8GB",
                "set checkpoint_timeout 5min → 15min",
                "set checkpoint_completion_target 0.9, as it runs now",
                "set random_page_cost 4 → 1.1",
                "set effective_io_concurrency 1 → 200",
                "restart PostgreSQL: max_connections, shared_buffers, wal_buffers take effect only at server start");
        assertThat(plan.changes().get(0).script()).contains("ALTER SYSTEM SET max_connections = '190';",
                "cp -p \"$data/postgresql.auto.conf\" \"$data/postgresql.auto.conf.provision-rollback\"");
        assertThat(plan.changes().get(1).script()).contains("ALTER SYSTEM SET shared_buffers = '4GB';").doesNotContain("rollback");
        assertThat(plan.changes().get(plan.changes().size() - 1).script()).contains("systemctl restart \"$unit\"",
                "mv -f \"$data/postgresql.auto.conf.provision-rollback\" \"$data/postgresql.auto.conf\"");
    }

    @Test
    void aConvergedServerPlansNothing() {
        assertThat(plan(GUIDE, answer(converged())).isEmpty()).isTrue();
    }

    @Test
    void aReloadableDriftIsWrittenBackAndReloadedWithoutARestart() {
        Plan plan = plan(GUIDE, answer(with(with(converged(), "work_mem", "1024", "1MB"), "checkpoint_timeout", "300", "5min")));

        assertThat(summaries(plan)).containsExactly("set work_mem 1MB → 20MB", "set checkpoint_timeout 5min → 15min",
                "reload PostgreSQL's configuration for work_mem, checkpoint_timeout");
        assertThat(plan.changes().get(0).script()).doesNotContain("rollback");
        assertThat(plan.changes().get(2).script()).contains("SELECT pg_reload_conf();").doesNotContain("systemctl");
    }

    @Test
    void aDriftOnlyInTheFileIsWrittenBackAndNeedsNothingElse() {
        Plan plan = plan(GUIDE, answer(with(converged(), "shared_buffers", "524288", "1GB")));

        assertThat(summaries(plan)).containsExactly("set shared_buffers 4GB, as it runs now (configured 1GB)");
    }

    @Test
    void aRestartThatDidNotHappenIsMadeUp() {
        Plan plan = plan(GUIDE, answer(with(converged(), "shared_buffers", "16384", "4GB")));

        assertThat(summaries(plan)).containsExactly("restart PostgreSQL: shared_buffers take effect only at server start");
    }

    @Test
    void maxConnectionsIsRaisedAndTakesEffectButNeverLowered() {
        assertThat(summaries(plan(GUIDE, answer(with(converged(), "max_connections", "100", "100")))))
                .containsExactly("set max_connections 100 → 190", "restart PostgreSQL: max_connections take effect only at server start");
        assertThat(summaries(plan(GUIDE, answer(with(converged(), "max_connections", "100", "190")))))
                .containsExactly("restart PostgreSQL: max_connections take effect only at server start");
        assertThat(plan(GUIDE, answer(with(converged(), "max_connections", "500", "500"))).isEmpty()).isTrue();
        PostgresTuning exactly = PostgresTuning.of(170, "pools", Map.of("host variable postgres_max_connections",
                Map.entry(PostgresSetting.MAX_CONNECTIONS, "250")));
        assertThat(summaries(plan(exactly, answer(with(converged(), "max_connections", "500", "500")))))
                .as("a value that is set is set exactly, and work_mem follows it").containsExactly("set max_connections 500 → 250",
                        "set work_mem 20MB → 15MB",
                        "restart PostgreSQL: max_connections take effect only at server start");
    }

    @Test
    void beforePostgresqlAnswersEveryValueIsPlannedWithARestart() {
        Plan plan = plan(GUIDE, "memory_kb\t" + 16 * GIB_KB + "\nmemory_limit\t\ncores\t8\nrotational\t\n"
                + "unavailable\trunuser: user postgres does not exist\n");

        assertThat(summaries(plan)).hasSize(17).first().asString()
                .isEqualTo("set max_connections to 190 (PostgreSQL did not answer: runuser: user postgres does not exist)");
        assertThat(summaries(plan)).contains("set shared_buffers to 4GB", "set maintenance_work_mem to 1GB")
                .last().isEqualTo("restart PostgreSQL so that these settings take effect");
    }

    @Test
    void valuesThisHostCannotTakeFailThePlanBeforeAnyChange() {
        PostgresTuning tooBig = PostgresTuning.of(170, "pools", Map.of("host variable postgres_shared_buffers",
                Map.entry(PostgresSetting.SHARED_BUFFERS, "32GB")));

        assertThat(plan(tooBig, answer(converged())).failure()).hasValueSatisfying(message -> assertThat(message)
                .startsWith("PostgreSQL cannot be tuned as set (nothing was changed):")
                .contains("shared_buffers 32GB is not below this host's memory (16GB)"));
    }

    @Test
    void theHostIsReadInOneCommandWithOnePsqlCall() throws Exception {
        String command = PostgresTuned.FACT.command();
        Process syntax = new ProcessBuilder("sh", "-n", "-c", command).redirectErrorStream(true).start();
        assertThat(syntax.waitFor()).as(new String(syntax.getInputStream().readAllBytes())).isZero();

        assertThat(command).contains("/proc/meminfo", "nproc", "/sys/fs/cgroup/memory.max", "lsblk -dno ROTA", "pg_file_settings");
        assertThat(command.split("psql", -1)).hasSize(2);
        assertThat(command).contains(java.util.Arrays.stream(PostgresSetting.values()).map(s -> "'" + s.key() + "'")
                .collect(Collectors.joining(", ")));
    }

    @Test
    void aContainersMemoryLimitAndASpinningDiskAreTakenIntoAccount() {
        PostgresTuned.HostState state = PostgresTuned.parse(new CommandResult(0,
                "memory_kb\t" + 64 * GIB_KB + "\nmemory_limit\t4294967296\ncores\t2\nrotational\t1\nunavailable\tno server\n", ""));

        assertThat(state.resources()).isEqualTo(new PostgresTuning.Resources(4 * GIB_KB, 2, OptionalInt.empty(), PostgresTuning.Storage.ROTATIONAL));
        assertThatThrownBy(() -> PostgresTuned.parse(new CommandResult(0, "cores\t2\n", ""))).isInstanceOf(FactException.class)
                .hasMessageContaining("cannot read this host's memory");
        assertThatThrownBy(() -> PostgresTuned.parse(new CommandResult(2, "memory_kb\t1024\ncores\t1\n", "sh: 14: Syntax error")))
                .isInstanceOf(FactException.class).hasMessageContaining("no answer from PostgreSQL's part of the host facts: sh: 14: Syntax error");
    }
}
