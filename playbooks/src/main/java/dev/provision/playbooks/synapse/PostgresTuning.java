package dev.provision.playbooks.synapse;

import dev.provision.dsl.Host;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static dev.provision.playbooks.synapse.PostgresSetting.*;

/**
 * PostgreSQL's settings for a Synapse host, computed from what the host is (memory, cores, storage,
 * PostgreSQL's major version) and from how many connections Synapse's processes open. Pure: the same
 * resources give the same settings. Every formula, with its source, is in playbooks/SYNAPSE.md
 * ("PostgreSQL tuning"); the main ones follow the guide the worker guide links, "Tuning PostgreSQL
 * for a Matrix Synapse Homeserver" (tcpipuk), and PGTune where that guide gives no number.
 *
 * <p>Any value can be set instead of computed, from the topology
 * ({@code SynapseTopology.Builder.postgresSetting(SHARED_BUFFERS, "2GB")}) or a host variable
 * ({@code postgres_shared_buffers: 2GB}, which wins). A value that is set feeds the formulas after it,
 * as a set {@code shared_buffers} does {@code work_mem}'s. Set values are checked when the playbook is
 * defined, before any host is touched.
 */
public final class PostgresTuning {

    /** Above the pools' sum: psql sessions, backups and maintenance need connections too. */
    static final int SPARE_CONNECTIONS = 20;
    /** PostgreSQL's default superuser_reserved_connections: slots ordinary roles such as Synapse's never get. */
    static final int SUPERUSER_RESERVED_CONNECTIONS = 3;
    private static final long MB = 1024;
    private static final long GB = 1024 * MB;

    public enum Storage { SOLID_STATE, ROTATIONAL }

    /** What the host is; {@code majorVersion} is empty when PostgreSQL does not answer yet. */
    public record Resources(long memoryKb, int cores, OptionalInt majorVersion, Storage storage) {
    }

    /** The settings for one host, in {@link PostgresSetting} order, or why they cannot be. */
    public record Tuned(Map<PostgresSetting, Double> values, List<String> problems) {
    }

    private record Override(double value, String origin) {
    }

    private final int poolConnections;
    private final String pools;
    private final Map<PostgresSetting, Override> overrides;

    private PostgresTuning(int poolConnections, String pools, Map<PostgresSetting, Override> overrides) {
        this.poolConnections = poolConnections;
        this.pools = pools;
        this.overrides = overrides;
    }

    /**
     * @param poolConnections the connections Synapse opens when every process fills its pool
     * @param pools           how that number comes about, for messages ("17 Synapse processes x cp_max 10")
     * @param overrides       values as PostgreSQL writes them, by where they were set ("host variable postgres_work_mem")
     * @throws IllegalArgumentException listing every value that is wrong, each with what to write instead
     */
    static PostgresTuning of(int poolConnections, String pools, Map<String, Map.Entry<PostgresSetting, String>> overrides) {
        Map<PostgresSetting, Override> parsed = new EnumMap<>(PostgresSetting.class);
        List<String> problems = new ArrayList<>();
        overrides.forEach((origin, setting) -> {
            try {
                parsed.put(setting.getKey(), new Override(setting.getKey().parse(String.valueOf(setting.getValue())), origin));
            } catch (IllegalArgumentException e) {
                problems.add(origin + ": " + e.getMessage());
            }
        });
        Override connections = parsed.get(MAX_CONNECTIONS);
        int needed = poolConnections + SUPERUSER_RESERVED_CONNECTIONS;
        if (connections != null && connections.value() < needed) {
            problems.add(connections.origin() + ": max_connections " + (long) connections.value() + " leaves no room for the " + poolConnections
                    + " connections of Synapse's pools (" + pools + ") and PostgreSQL's " + SUPERUSER_RESERVED_CONNECTIONS
                    + " superuser slots: set at least " + needed + ", or lower cp_max with PostgresDatabase.connectionPool(min, max)");
        }
        walSizesInOrder(parsed.get(MIN_WAL_SIZE), parsed.get(MAX_WAL_SIZE)).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("PostgreSQL settings that cannot be used (nothing was changed):\n- " + String.join("\n- ", problems));
        }
        return new PostgresTuning(poolConnections, pools, parsed);
    }

    /**
     * The tuning for a Synapse deployment: its pools, the topology's values, and the host variables
     * {@code postgres_<setting>} over them.
     */
    static PostgresTuning forSynapse(SynapseDeployment deployment, Host host) {
        SynapseTopology topology = deployment.topology();
        Map<String, Map.Entry<PostgresSetting, String>> overrides = new LinkedHashMap<>();
        topology.postgresSettings().forEach((setting, value) -> {
            if (host.find(variable(setting)).isEmpty()) {
                overrides.put("postgresSetting(" + setting.name() + ", \"" + value + "\")", Map.entry(setting, value));
            }
        });
        for (PostgresSetting setting : PostgresSetting.values()) {
            host.find(variable(setting)).ifPresent(value -> overrides.put("host variable " + variable(setting), Map.entry(setting, String.valueOf(value))));
        }
        String pools = (1 + topology.workers().size()) + " Synapse processes x cp_max " + topology.database().map(PostgresDatabase::poolMax).orElse(0);
        return of(deployment.databaseConnections(), pools, overrides);
    }

    static String variable(PostgresSetting setting) {
        return "postgres_" + setting.key();
    }

    /** The connections Synapse's pools need, and spare; never below PostgreSQL's default of 100. */
    int connections() {
        return overrides.containsKey(MAX_CONNECTIONS) ? (int) overrides.get(MAX_CONNECTIONS).value() : poolsAndSpare();
    }

    private int poolsAndSpare() {
        return Math.max(100, poolConnections + SPARE_CONNECTIONS);
    }

    /** How the connection count comes about, for the step's name. */
    String connectionsReason() {
        return overrides.containsKey(MAX_CONNECTIONS) ? "as set" : pools + ", and spare";
    }

    boolean isSet(PostgresSetting setting) {
        return overrides.containsKey(setting);
    }

    /** Each setting's value on a host with these resources; settings this PostgreSQL lacks are left out. */
    public Tuned settingsFor(Resources host) {
        Map<PostgresSetting, Double> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (PostgresSetting setting : PostgresSetting.values()) {
            boolean exists = host.majorVersion().isEmpty() || host.majorVersion().getAsInt() >= setting.sinceMajor();
            Override set = overrides.get(setting);
            if (!exists) {
                if (set != null) {
                    problems.add(set.origin() + ": PostgreSQL " + host.majorVersion().getAsInt() + " has no " + setting.key()
                            + " (it came in PostgreSQL " + setting.sinceMajor() + "); drop it");
                }
                continue;
            }
            values.put(setting, set != null ? set.value() : formula(setting, host, values));
        }
        double sharedBuffers = values.get(SHARED_BUFFERS);
        if (sharedBuffers >= host.memoryKb()) {
            problems.add("shared_buffers " + SHARED_BUFFERS.render(sharedBuffers) + " is not below this host's memory ("
                    + SHARED_BUFFERS.render(host.memoryKb() / MB * MB) + "): lower " + variable(SHARED_BUFFERS) + ", or drop it for 25% of memory");
        }
        walSizesInOrder(new Override(values.get(MIN_WAL_SIZE), origin(MIN_WAL_SIZE)), new Override(values.get(MAX_WAL_SIZE), origin(MAX_WAL_SIZE)))
                .ifPresent(problems::add);
        return new Tuned(values, problems);
    }

    private String origin(PostgresSetting setting) {
        return overrides.containsKey(setting) ? overrides.get(setting).origin() : "computed";
    }

    /** Memory in kB throughout; sizes are rounded down to whole MB unless noted. */
    private double formula(PostgresSetting setting, Resources host, Map<PostgresSetting, Double> before) {
        long memory = host.memoryKb();
        int cores = host.cores();
        boolean rotational = host.storage() == Storage.ROTATIONAL;
        return switch (setting) {
            // every process may fill its pool at once; Debian's default 100 stays the floor
            case MAX_CONNECTIONS -> poolsAndSpare();
            // tcpipuk "about 25% of the total system memory", PGTune RAM / 4
            case SHARED_BUFFERS -> wholeMb(memory / 4);
            // PGTune's 3/4 assumes a dedicated database host; Synapse's processes share this one
            case EFFECTIVE_CACHE_SIZE -> wholeMb(memory / 2);
            // tcpipuk "typically the number of CPU cores"; PGTune keeps PostgreSQL's 8 below 4 cores
            case MAX_WORKER_PROCESSES -> Math.max(cores, 8);
            // tcpipuk "capped by max_worker_processes, so typically the same number"
            case MAX_PARALLEL_WORKERS -> Math.min(cores, before.get(MAX_WORKER_PROCESSES));
            // tcpipuk "a quarter of the total workers"; PGTune stops at 4 (no gain seen beyond)
            case MAX_PARALLEL_WORKERS_PER_GATHER, MAX_PARALLEL_MAINTENANCE_WORKERS -> Math.min(cores / 4, 4);
            // PGTune (RAM - shared_buffers) / ((max_connections + max_worker_processes) x 3), at least 4MB;
            // tcpipuk: above 32MB "often don't make a noticeable difference for Synapse"
            case WORK_MEM -> clamp(wholeMb((long) ((memory - before.get(SHARED_BUFFERS))
                    / ((before.get(MAX_CONNECTIONS) + before.get(MAX_WORKER_PROCESSES)) * 3))), 4 * MB, 32 * MB);
            // PGTune RAM / 16, from PostgreSQL's 64MB default up to tcpipuk's 1GB; VACUUM stores at most 1GB of
            // dead tuples before PostgreSQL 17, which lifted that limit; 2GB is PGTune's cap per autovacuum worker
            case MAINTENANCE_WORK_MEM -> clamp(wholeMb(memory / 16), 64 * MB,
                    host.majorVersion().orElse(0) >= 17 ? 2 * GB : GB);
            case WAL_BUFFERS -> walBuffers(before.get(SHARED_BUFFERS));
            // PGTune "web" 1GB, as tcpipuk's example
            case MIN_WAL_SIZE -> GB;
            // tcpipuk "double the shared_buffers value"; at least PGTune's 4GB for web workloads
            case MAX_WAL_SIZE -> Math.max(2 * before.get(SHARED_BUFFERS), 4 * GB);
            // tcpipuk: 15 minutes instead of 5 smooths out spikes in disk I/O
            case CHECKPOINT_TIMEOUT -> 15 * 60;
            // tcpipuk and PGTune (PostgreSQL's default since 14)
            case CHECKPOINT_COMPLETION_TARGET -> 0.9;
            // tcpipuk 1.1 for SSD/NVMe; PGTune 4 (PostgreSQL's default) for HDD
            case RANDOM_PAGE_COST -> rotational ? 4 : 1.1;
            // PGTune on Linux: 200 for SSD, 2 for HDD
            case EFFECTIVE_IO_CONCURRENCY -> rotational ? 2 : 200;
        };
    }

    /**
     * PGTune, after PostgreSQL's own auto-tuning: 3% of shared_buffers, at most one 16MB WAL segment
     * (from 14MB on, the full 16MB), at least 32kB, in whole 8kB blocks.
     */
    private static double walBuffers(double sharedBuffers) {
        long value = (long) (sharedBuffers * 3 / 100) / 8 * 8;
        if (value > 14 * MB) {
            return 16 * MB;
        }
        return Math.max(value, 32);
    }

    private static Optional<String> walSizesInOrder(Override min, Override max) {
        if (min == null || max == null || min.value() <= max.value()) {
            return Optional.empty();
        }
        return Optional.of("min_wal_size " + MIN_WAL_SIZE.render(min.value()) + " (" + min.origin() + ") is above max_wal_size "
                + MAX_WAL_SIZE.render(max.value()) + " (" + max.origin() + "): PostgreSQL keeps at least min_wal_size of WAL, so lower it or raise max_wal_size");
    }

    private static double wholeMb(long kb) {
        return kb / MB * MB;
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }
}
