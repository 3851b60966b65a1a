package dev.provision.playbooks.synapse;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL setting the playbook tunes, with the value syntax PostgreSQL accepts for it. Values
 * are held in one canonical unit per kind (kB for memory, seconds for durations), so a value written
 * {@code 4GB} and one PostgreSQL reports as {@code 524288} blocks of 8kB compare equal.
 *
 * <p>The order is the order the values are computed in: a formula may use the settings before it.
 */
public enum PostgresSetting {

    MAX_CONNECTIONS("max_connections", Kind.COUNT, 1, 1, 262_143, 0),
    SHARED_BUFFERS("shared_buffers", Kind.MEMORY, 8, 128, Integer.MAX_VALUE, 0),
    EFFECTIVE_CACHE_SIZE("effective_cache_size", Kind.MEMORY, 8, 8, Integer.MAX_VALUE, 0),
    MAX_WORKER_PROCESSES("max_worker_processes", Kind.COUNT, 1, 0, 262_143, 0),
    MAX_PARALLEL_WORKERS("max_parallel_workers", Kind.COUNT, 1, 0, 1024, 10),
    MAX_PARALLEL_WORKERS_PER_GATHER("max_parallel_workers_per_gather", Kind.COUNT, 1, 0, 1024, 0),
    MAX_PARALLEL_MAINTENANCE_WORKERS("max_parallel_maintenance_workers", Kind.COUNT, 1, 0, 1024, 11),
    WORK_MEM("work_mem", Kind.MEMORY, 1, 64, Integer.MAX_VALUE, 0),
    MAINTENANCE_WORK_MEM("maintenance_work_mem", Kind.MEMORY, 1, 1024, Integer.MAX_VALUE, 0),
    WAL_BUFFERS("wal_buffers", Kind.MEMORY, 8, 32, Integer.MAX_VALUE, 0),
    /** At least two WAL segments of 16MB. */
    MIN_WAL_SIZE("min_wal_size", Kind.MEMORY, 1024, 32 * 1024, Integer.MAX_VALUE, 0),
    MAX_WAL_SIZE("max_wal_size", Kind.MEMORY, 1024, 32 * 1024, Integer.MAX_VALUE, 0),
    CHECKPOINT_TIMEOUT("checkpoint_timeout", Kind.SECONDS, 1, 30, 86_400, 0),
    CHECKPOINT_COMPLETION_TARGET("checkpoint_completion_target", Kind.REAL, 1, 0, 1, 0),
    RANDOM_PAGE_COST("random_page_cost", Kind.REAL, 1, 0, Double.MAX_VALUE, 0),
    EFFECTIVE_IO_CONCURRENCY("effective_io_concurrency", Kind.COUNT, 1, 0, 1000, 0);

    private static final Pattern AMOUNT = Pattern.compile("(\\d+)\\s*([A-Za-z]*)");
    private static final Map<String, Long> MEMORY_UNITS_BYTES = Map.of("B", 1L, "kB", 1L << 10, "MB", 1L << 20, "GB", 1L << 30, "TB", 1L << 40);
    private static final Map<String, Double> TIME_UNITS_SECONDS = Map.of("us", 1e-6, "ms", 1e-3, "s", 1.0, "min", 60.0, "h", 3600.0, "d", 86_400.0);

    enum Kind { COUNT, REAL, MEMORY, SECONDS }

    private final String key;
    private final Kind kind;
    private final int unitKb;
    private final double min;
    private final double max;
    private final int sinceMajor;

    /**
     * {@code unitKb} is what a memory value without a unit counts (PostgreSQL's {@code pg_settings.unit});
     * {@code min} and {@code max} are in the canonical unit, {@code max} of memory in multiples of {@code unitKb}.
     */
    PostgresSetting(String key, Kind kind, int unitKb, double min, double max, int sinceMajor) {
        this.key = key;
        this.kind = kind;
        this.unitKb = unitKb;
        this.min = min;
        this.max = kind == Kind.MEMORY ? max * unitKb : max;
        this.sinceMajor = sinceMajor;
    }

    /** The name PostgreSQL knows it by, e.g. {@code shared_buffers}. */
    public String key() {
        return key;
    }

    /** The oldest PostgreSQL major version that has this setting. */
    int sinceMajor() {
        return sinceMajor;
    }

    public static Optional<PostgresSetting> named(String key) {
        for (PostgresSetting setting : values()) {
            if (setting.key.equals(key)) {
                return Optional.of(setting);
            }
        }
        return Optional.empty();
    }

    /**
     * A value as written in postgresql.conf or {@code ALTER SYSTEM} ({@code 2GB}, {@code 15min}, {@code 1.1}),
     * checked as PostgreSQL would check it, in the canonical unit.
     *
     * @throws IllegalArgumentException saying what is wrong and what to write instead
     */
    public double parse(String text) {
        double value = read(text.strip());
        if (kind == Kind.MEMORY && value % unitKb != 0) {
            throw new IllegalArgumentException(key + " is counted in blocks of " + unitKb + "kB: " + text.strip() + " is not a whole number of them; use "
                    + render(Math.floor(value / unitKb) * unitKb) + " or " + render(Math.ceil(value / unitKb) * unitKb));
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " " + text.strip() + " is out of PostgreSQL's range " + render(min)
                    + (max == Double.MAX_VALUE ? " and more" : " .. " + render(max)));
        }
        return value;
    }

    /** A value read from a configuration file; empty when PostgreSQL would not take it either. */
    Optional<Double> parseConfigured(String text) {
        try {
            return Optional.of(read(text.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code pg_settings.setting} in {@code pg_settings.unit} ({@code 8kB}, {@code kB}, {@code MB}, {@code s}, or none). */
    double parseRunning(String setting, String unit) {
        return switch (kind) {
            case COUNT, REAL -> Double.parseDouble(setting);
            case MEMORY -> Double.parseDouble(setting) * unitMultiple(unit, MEMORY_UNITS_BYTES) / 1024;
            case SECONDS -> Double.parseDouble(setting) * unitMultiple(unit, TIME_UNITS_SECONDS);
        };
    }

    /** As PostgreSQL's own files write it: the largest unit that keeps the value whole. */
    public String render(double value) {
        return switch (kind) {
            case COUNT -> String.valueOf((long) value);
            case REAL -> BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
            case MEMORY -> largestWholeUnit((long) value, new String[] {"TB", "GB", "MB", "kB"}, new long[] {1L << 30, 1L << 20, 1L << 10, 1});
            case SECONDS -> largestWholeUnit((long) value, new String[] {"d", "h", "min", "s"}, new long[] {86_400, 3600, 60, 1});
        };
    }

    private static String largestWholeUnit(long value, String[] units, long[] sizes) {
        for (int i = 0; i < units.length; i++) {
            if (value != 0 && value % sizes[i] == 0) {
                return value / sizes[i] + units[i];
            }
        }
        return value + units[units.length - 1];
    }

    private double read(String text) {
        if (kind == Kind.REAL) {
            try {
                double value = Double.parseDouble(text);
                if (Double.isFinite(value)) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
            throw new IllegalArgumentException(key + " is a number such as 1.1, not '" + text + "'");
        }
        Matcher amount = AMOUNT.matcher(text);
        if (!amount.matches()) {
            throw new IllegalArgumentException(key + " is " + example() + ", not '" + text + "'");
        }
        double number = Double.parseDouble(amount.group(1));
        String unit = amount.group(2);
        return switch (kind) {
            case COUNT -> {
                if (!unit.isEmpty()) {
                    throw new IllegalArgumentException(key + " is a count without a unit, not '" + text + "'");
                }
                yield number;
            }
            case MEMORY -> {
                if (unit.isEmpty()) {
                    yield number * unitKb;
                }
                Long bytes = MEMORY_UNITS_BYTES.get(unit);
                if (bytes == null) {
                    throw new IllegalArgumentException(key + " '" + text + "': PostgreSQL's memory units are B, kB, MB, GB and TB, and their case matters"
                            + suggestedUnit(unit, MEMORY_UNITS_BYTES));
                }
                double kb = number * bytes / 1024;
                if (kb != Math.floor(kb)) {
                    throw new IllegalArgumentException(key + " '" + text + "' is not a whole number of kB");
                }
                yield kb;
            }
            case SECONDS -> {
                Double seconds = TIME_UNITS_SECONDS.get(unit.isEmpty() ? "s" : unit);
                if (seconds == null) {
                    throw new IllegalArgumentException(key + " '" + text + "': PostgreSQL's time units are us, ms, s, min, h and d"
                            + suggestedUnit(unit, TIME_UNITS_SECONDS));
                }
                double value = number * seconds;
                if (value != Math.floor(value)) {
                    throw new IllegalArgumentException(key + " is counted in whole seconds: '" + text + "' is not");
                }
                yield value;
            }
            case REAL -> throw new AssertionError();
        };
    }

    private static String suggestedUnit(String written, Map<String, ?> units) {
        return units.keySet().stream().filter(unit -> unit.equalsIgnoreCase(written)).findFirst().map(unit -> ": write " + unit).orElse("");
    }

    private String example() {
        return switch (kind) {
            case COUNT -> "a whole number such as 200";
            case MEMORY -> "a size such as 512MB or 2GB";
            case SECONDS -> "a duration such as 900s or 15min";
            case REAL -> "a number such as 1.1";
        };
    }

    private double unitMultiple(String unit, Map<String, ? extends Number> units) {
        if (unit.isEmpty()) {
            return kind == Kind.MEMORY ? 1024 : 1;
        }
        Matcher amount = Pattern.compile("(\\d*)([A-Za-z]+)").matcher(unit);
        if (!amount.matches() || !units.containsKey(amount.group(2))) {
            throw new IllegalArgumentException("PostgreSQL reports " + key + " in an unknown unit '" + unit + "'");
        }
        double count = amount.group(1).isEmpty() ? 1 : Double.parseDouble(amount.group(1));
        return count * units.get(amount.group(2)).doubleValue();
    }
}
