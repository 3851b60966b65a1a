package dev.provision.tasks.apt;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactException;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What dpkg knows about every package on the host, from one {@code dpkg-query} that all apt tasks
 * share. A package appears once per architecture; the most installed of its entries counts.
 */
public record InstalledPackages(Map<String, PackageState> packages) {

    public static final Fact<InstalledPackages> FACT = Fact.of(
            "dpkg-query -W -f='${Package}\\t${Status}\\t${Version}\\n'", InstalledPackages::parse);

    /** A package's dpkg status: the third word of {@code Status}, and the version dpkg has of it. */
    public record PackageState(String status, String version) {

        /** Installed and configured (pending triggers do not make it less so). */
        public boolean installed() {
            return status.equals("installed") || status.startsWith("triggers-");
        }

        /** Only configuration files remain: removed but not purged. */
        public boolean configFilesOnly() {
            return status.equals("config-files");
        }

        /** Left half-done by an interrupted dpkg run: unpacked, half-installed or half-configured. */
        public boolean interrupted() {
            return status.equals("unpacked") || status.startsWith("half-");
        }

        public boolean notInstalled() {
            return status.equals("not-installed");
        }
    }

    public Optional<PackageState> find(String name) {
        return Optional.ofNullable(packages.get(name));
    }

    public boolean installed(String name) {
        return find(name).filter(PackageState::installed).isPresent();
    }

    /** Some package is left half-done by an interrupted dpkg run; until that is finished, dpkg installs nothing else. */
    public boolean anyInterrupted() {
        return packages.values().stream().anyMatch(PackageState::interrupted);
    }

    /** Anything dpkg still has of the package, configuration files included. */
    public boolean known(String name) {
        return find(name).filter(state -> !state.notInstalled()).isPresent();
    }

    static InstalledPackages parse(CommandResult result) {
        if (!result.succeeded()) {
            throw new FactException("dpkg-query failed: " + result.errorText());
        }
        Map<String, PackageState> packages = new HashMap<>();
        for (String line : result.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            String[] status = fields.length == 3 ? fields[1].trim().split(" +") : new String[0];
            if (status.length != 3) {
                throw new FactException("unexpected dpkg-query line: " + line);
            }
            PackageState state = new PackageState(status[2], fields[2]);
            packages.merge(fields[0], state, (a, b) -> rank(b) > rank(a) ? b : a);
        }
        return new InstalledPackages(Map.copyOf(packages));
    }

    private static int rank(PackageState state) {
        return state.installed() ? 3 : state.interrupted() ? 2 : state.configFilesOnly() ? 1 : 0;
    }
}
