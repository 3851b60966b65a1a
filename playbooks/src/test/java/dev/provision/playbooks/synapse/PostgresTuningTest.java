package dev.provision.playbooks.synapse;

import dev.provision.dsl.Host;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

import static dev.provision.playbooks.synapse.PostgresSetting.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** Every formula of the tuning at a few host sizes, and values set instead of computed. */
class PostgresTuningTest {

    private static final long GIB_KB = 1024 * 1024;
    private static final PostgresTuning GUIDE = PostgresTuning.of(170, "17 Synapse processes x cp_max 10", Map.of());

    private static PostgresTuning.Resources host(long gib, int cores, int major, PostgresTuning.Storage storage) {
        return new PostgresTuning.Resources(gib * GIB_KB, cores, OptionalInt.of(major), storage);
    }

    private static PostgresTuning.Resources ssd(long gib, int cores) {
        return host(gib, cores, 15, PostgresTuning.Storage.SOLID_STATE);
    }

    /** The values as ALTER SYSTEM would write them. */
    private static Map<String, String> rendered(PostgresTuning tuning, PostgresTuning.Resources host) {
        PostgresTuning.Tuned tuned = tuning.settingsFor(host);
        assertThat(tuned.problems()).isEmpty();
        Map<String, String> values = new LinkedHashMap<>();
        tuned.values().forEach((setting, value) -> values.put(setting.key(), setting.render(value)));
        return values;
    }

    @Test
    void oneGibibyteOneCore() {
        assertThat(rendered(GUIDE, ssd(1, 1))).containsExactly(
                entry("max_connections", "190"),
                entry("shared_buffers", "256MB"),
                entry("effective_cache_size", "512MB"),
                entry("max_worker_processes", "8"),
                entry("max_parallel_workers", "1"),
                entry("max_parallel_workers_per_gather", "0"),
                entry("max_parallel_maintenance_workers", "0"),
                entry("work_mem", "4MB"),                 // (1024 - 256)MB / ((190 + 8) x 3) = 1.3MB, raised to the 4MB floor
                entry("maintenance_work_mem", "64MB"),
                entry("wal_buffers", "7864kB"),           // 3% of 256MB, whole 8kB blocks
                entry("min_wal_size", "1GB"),
                entry("max_wal_size", "4GB"),
                entry("checkpoint_timeout", "15min"),
                entry("checkpoint_completion_target", "0.9"),
                entry("random_page_cost", "1.1"),
                entry("effective_io_concurrency", "200"));
    }

    @Test
    void fourGibibytesTwoCores() {
        assertThat(rendered(GUIDE, ssd(4, 2))).containsAllEntriesOf(Map.of(
                "shared_buffers", "1GB",
                "effective_cache_size", "2GB",
                "max_worker_processes", "8",
                "max_parallel_workers", "2",
                "max_parallel_workers_per_gather", "0",
                "work_mem", "5MB",                        // 3072MB / 594 = 5.17MB
                "maintenance_work_mem", "256MB",
                "wal_buffers", "16MB",                    // 3% of 1GB is 30MB: one WAL segment at most
                "max_wal_size", "4GB"));
    }

    @Test
    void sixteenGibibytesEightCores() {
        assertThat(rendered(GUIDE, ssd(16, 8))).containsAllEntriesOf(Map.of(
                "shared_buffers", "4GB",
                "effective_cache_size", "8GB",
                "max_worker_processes", "8",
                "max_parallel_workers", "8",
                "max_parallel_workers_per_gather", "2",
                "max_parallel_maintenance_workers", "2",
                "work_mem", "20MB",                       // 12288MB / 594 = 20.7MB
                "maintenance_work_mem", "1GB",
                "wal_buffers", "16MB",
                "max_wal_size", "8GB"));                  // twice shared_buffers
    }

    @Test
    void sixtyFourGibibytesSixteenCores() {
        assertThat(rendered(GUIDE, ssd(64, 16))).containsAllEntriesOf(Map.of(
                "shared_buffers", "16GB",
                "effective_cache_size", "32GB",
                "max_worker_processes", "16",
                "max_parallel_workers", "16",
                "max_parallel_workers_per_gather", "4",
                "max_parallel_maintenance_workers", "4",
                "work_mem", "32MB",                       // 49152MB / ((190 + 16) x 3) = 79MB, held at 32MB
                "maintenance_work_mem", "1GB",            // 4GB by RAM / 16; VACUUM cannot use more than 1GB before 17
                "max_wal_size", "32GB"));
        assertThat(rendered(GUIDE, host(64, 16, 17, PostgresTuning.Storage.SOLID_STATE))).containsEntry("maintenance_work_mem", "2GB");
        assertThat(rendered(GUIDE, ssd(64, 64))).containsEntry("max_parallel_workers_per_gather", "4").containsEntry("max_worker_processes", "64");
    }

    @Test
    void spinningDisksKeepPostgresqlsPageCostAndFewConcurrentReads() {
        assertThat(rendered(GUIDE, host(16, 8, 15, PostgresTuning.Storage.ROTATIONAL)))
                .containsEntry("random_page_cost", "4").containsEntry("effective_io_concurrency", "2");
    }

    @Test
    void connectionsFollowThePoolsAndNeverDropBelowPostgresqlsDefault() {
        assertThat(rendered(PostgresTuning.of(50, "5 Synapse processes x cp_max 10", Map.of()), ssd(4, 2))).containsEntry("max_connections", "100");
        assertThat(rendered(PostgresTuning.of(340, "17 Synapse processes x cp_max 20", Map.of()), ssd(4, 2))).containsEntry("max_connections", "360");
    }

    @Test
    void settingsAnOlderPostgresqlLacksAreLeftOut() {
        assertThat(rendered(GUIDE, host(16, 8, 10, PostgresTuning.Storage.SOLID_STATE)))
                .containsKey("max_parallel_workers").doesNotContainKey("max_parallel_maintenance_workers");
        assertThat(rendered(GUIDE, new PostgresTuning.Resources(16 * GIB_KB, 8, OptionalInt.empty(), PostgresTuning.Storage.SOLID_STATE)))
                .containsKey("max_parallel_maintenance_workers").containsEntry("maintenance_work_mem", "1GB");
    }

    @Test
    void aValueSetInsteadFeedsTheFormulasAfterIt() {
        PostgresTuning tuning = PostgresTuning.of(170, "17 Synapse processes x cp_max 10", Map.of(
                "host variable postgres_shared_buffers", Map.entry(SHARED_BUFFERS, "2GB"),
                "host variable postgres_max_connections", Map.entry(MAX_CONNECTIONS, "300")));

        assertThat(rendered(tuning, ssd(16, 8))).containsEntry("shared_buffers", "2GB")
                .containsEntry("max_connections", "300")
                .containsEntry("work_mem", "15MB")        // (16 - 2)GB / ((300 + 8) x 3) = 15.5MB
                .containsEntry("max_wal_size", "4GB")     // twice 2GB, at least 4GB
                .containsEntry("effective_cache_size", "8GB");
        assertThat(tuning.connections()).isEqualTo(300);
        assertThat(tuning.connectionsReason()).isEqualTo("as set");
    }

    @Test
    void hostVariablesWinOverTheTopology() {
        SynapseTopology topology = SynapseTopology.forServer("example.com").packagedBy(PackageSource.DEBIAN)
                .postgresSetting(WORK_MEM, "8MB").postgresSetting(RANDOM_PAGE_COST, "1.5").build();
        PostgresTuning tuning = PostgresTuning.forSynapse(SynapseDeployment.of(topology),
                new Host("synapse", Map.of("postgres_random_page_cost", 2.0, "postgres_checkpoint_timeout", "10min")));

        assertThat(rendered(tuning, ssd(16, 8))).containsEntry("work_mem", "8MB").containsEntry("random_page_cost", "2")
                .containsEntry("checkpoint_timeout", "10min");
        assertThat(tuning.connectionsReason()).isEqualTo("17 Synapse processes x cp_max 10, and spare");
    }

    @Test
    void everyWrongValueIsNamedWithWhatToWrite() {
        assertThatThrownBy(() -> PostgresTuning.forSynapse(SynapseDeployment.of(SynapseTopology.forServer("example.com").packagedBy(PackageSource.DEBIAN)
                        .postgresSetting(EFFECTIVE_CACHE_SIZE, "lots").build()),
                new Host("synapse", Map.of("postgres_shared_buffers", "2gb", "postgres_work_mem", "32", "postgres_wal_buffers", "100kB",
                        "postgres_checkpoint_completion_target", "1.5", "postgres_max_connections", 150, "postgres_checkpoint_timeout", "1500ms"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("PostgreSQL settings that cannot be used (nothing was changed):")
                .hasMessageContaining("postgresSetting(EFFECTIVE_CACHE_SIZE, \"lots\"): effective_cache_size is a size such as 512MB or 2GB, not 'lots'")
                .hasMessageContaining("host variable postgres_shared_buffers: shared_buffers '2gb': PostgreSQL's memory units are B, kB, MB, GB and TB,"
                        + " and their case matters: write GB")
                .hasMessageContaining("host variable postgres_work_mem: work_mem 32 is out of PostgreSQL's range 64kB")
                .hasMessageContaining("host variable postgres_wal_buffers: wal_buffers is counted in blocks of 8kB: 100kB is not a whole number of them;"
                        + " use 96kB or 104kB")
                .hasMessageContaining("checkpoint_completion_target 1.5 is out of PostgreSQL's range 0 .. 1")
                .hasMessageContaining("checkpoint_timeout is counted in whole seconds: '1500ms' is not")
                .hasMessageContaining("host variable postgres_max_connections: max_connections 150 leaves no room for the 170 connections of Synapse's pools"
                        + " (17 Synapse processes x cp_max 10) and PostgreSQL's 3 superuser slots: set at least 173, or lower cp_max with"
                        + " PostgresDatabase.connectionPool(min, max)");
    }

    @Test
    void walSizesThatContradictEachOtherAreRefused() {
        assertThatThrownBy(() -> PostgresTuning.of(170, "pools", Map.of(
                "host variable postgres_min_wal_size", Map.entry(MIN_WAL_SIZE, "8GB"),
                "host variable postgres_max_wal_size", Map.entry(MAX_WAL_SIZE, "2GB"))))
                .hasMessageContaining("min_wal_size 8GB (host variable postgres_min_wal_size) is above max_wal_size 2GB (host variable postgres_max_wal_size)");
        PostgresTuning onlyMin = PostgresTuning.of(170, "pools", Map.of("host variable postgres_min_wal_size", Map.entry(MIN_WAL_SIZE, "8GB")));
        assertThat(onlyMin.settingsFor(ssd(1, 1)).problems()).singleElement().asString()
                .startsWith("min_wal_size 8GB (host variable postgres_min_wal_size) is above max_wal_size 4GB (computed)");
    }

    @Test
    void aHostTooSmallForWhatWasSetFailsItsPlan() {
        PostgresTuning tuning = PostgresTuning.of(170, "pools", Map.of("host variable postgres_shared_buffers", Map.entry(SHARED_BUFFERS, "8GB"),
                "host variable postgres_max_parallel_maintenance_workers", Map.entry(MAX_PARALLEL_MAINTENANCE_WORKERS, "2")));

        assertThat(tuning.settingsFor(host(4, 2, 10, PostgresTuning.Storage.SOLID_STATE)).problems()).containsExactly(
                "host variable postgres_max_parallel_maintenance_workers: PostgreSQL 10 has no max_parallel_maintenance_workers (it came in PostgreSQL 11); drop it",
                "shared_buffers 8GB is not below this host's memory (4GB): lower postgres_shared_buffers, or drop it for 25% of memory");
    }

    @Test
    void valuesReadAsPostgresqlWritesThem() {
        assertThat(SHARED_BUFFERS.parse("524288")).as("blocks of 8kB").isEqualTo(4 * GIB_KB);
        assertThat(SHARED_BUFFERS.parseRunning("524288", "8kB")).isEqualTo(4 * GIB_KB);
        assertThat(MAX_WAL_SIZE.parseRunning("4096", "MB")).isEqualTo(4 * GIB_KB);
        assertThat(MIN_WAL_SIZE.parse("1024")).as("MB").isEqualTo(GIB_KB);
        assertThat(CHECKPOINT_TIMEOUT.parse("1h")).isEqualTo(3600);
        assertThat(CHECKPOINT_TIMEOUT.parseRunning("900", "s")).isEqualTo(900);
        assertThat(WORK_MEM.parseConfigured("4 MB")).hasValue(4096.0);
        assertThat(WORK_MEM.parseConfigured("a lot")).isEmpty();
        assertThat(WORK_MEM.render(20 * 1024)).isEqualTo("20MB");
        assertThat(WAL_BUFFERS.render(7864)).isEqualTo("7864kB");
        assertThat(RANDOM_PAGE_COST.render(4.0)).isEqualTo("4");
    }
}
