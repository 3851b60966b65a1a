package dev.provision.tasks.apt;

import java.util.List;

/**
 * Debian packages, repositories and debconf answers:
 *
 * <pre>{@code
 * step("redis", Apt.present("redis-server").refreshCacheOlderThan(Duration.ofDays(1)));
 * step("no telnet", Apt.purged("telnet"));
 * step("synapse", Apt.present("matrix-synapse-py3").from(matrixRepository));
 * }</pre>
 *
 * Installs never ask questions (preseed with {@link Debconf}), keep changed configuration files,
 * and wait up to five minutes for a dpkg lock held by another apt run.
 */
public final class Apt {

    private Apt() {
    }

    public static AptPackages present(String... packages) {
        return new AptPackages(AptPackages.Wanted.PRESENT, List.of(packages));
    }

    /** Installed, and upgraded whenever the package lists offer a newer version. */
    public static AptPackages latest(String... packages) {
        return new AptPackages(AptPackages.Wanted.LATEST, List.of(packages));
    }

    /** Removed; configuration files stay. */
    public static AptPackages absent(String... packages) {
        return new AptPackages(AptPackages.Wanted.ABSENT, List.of(packages));
    }

    /** Removed with their configuration files. */
    public static AptPackages purged(String... packages) {
        return new AptPackages(AptPackages.Wanted.PURGED, List.of(packages));
    }

    public static AptRepository repository(String name) {
        return new AptRepository(name);
    }
}
