package dev.provision.tasks.apt;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Packages that should be installed, kept at the newest version, removed or purged. Made by
 * {@link Apt}. The package lists are updated before installing only when they must be: never
 * updated yet, older than {@link #refreshCacheOlderThan}, or a source or key changed since the last
 * update (including one a linked {@link #from repository} step is about to write).
 */
public final class AptPackages implements Task {

    enum Wanted { PRESENT, LATEST, ABSENT, PURGED }

    private final Wanted wanted;
    private final List<String> names;
    private Optional<Duration> cacheMaxAge = Optional.empty();
    private final List<AptRepository> repositories = new ArrayList<>();

    AptPackages(Wanted wanted, List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name at least one package");
        }
        this.wanted = wanted;
        this.names = List.copyOf(names);
    }

    /** Update the package lists first when the last update is older than this. */
    public AptPackages refreshCacheOlderThan(Duration maxAge) {
        this.cacheMaxAge = Optional.of(maxAge);
        return this;
    }

    /**
     * The packages come from these repositories: while a repository step would still change its
     * files (as in check mode, before it ran), the lists count as stale and unknown names are not
     * an error yet.
     */
    public AptPackages from(AptRepository... repositories) {
        this.repositories.addAll(List.of(repositories));
        return this;
    }

    @Override
    public String describe() {
        return "package" + (names.size() == 1 ? " " : "s ") + String.join(", ", names);
    }

    @Override
    public List<Fact<?>> facts() {
        List<Fact<?>> facts = new ArrayList<>(List.of(InstalledPackages.FACT));
        if (installs()) {
            facts.add(AptCache.FACT);
            facts.add(candidates());
            repositories.forEach(repository -> facts.addAll(repository.facts()));
        }
        return facts;
    }

    /** Installing needs the candidates of what is missing; keeping up to date, of all. */
    private Fact<CandidateVersions> candidates() {
        return wanted == Wanted.LATEST ? CandidateVersions.of(names) : CandidateVersions.ofMissing(names);
    }

    private boolean installs() {
        return wanted == Wanted.PRESENT || wanted == Wanted.LATEST;
    }

    @Override
    public Plan plan(Facts facts) {
        InstalledPackages dpkg = facts.get(InstalledPackages.FACT);
        return installs() ? planInstall(dpkg, facts) : planRemoval(dpkg);
    }

    private Plan planRemoval(InstalledPackages dpkg) {
        boolean purge = wanted == Wanted.PURGED;
        List<String> remove = names.stream()
                .filter(name -> purge ? dpkg.known(name) : dpkg.find(name).filter(s -> !s.notInstalled() && !s.configFilesOnly()).isPresent())
                .toList();
        if (remove.isEmpty()) {
            return Plan.ok();
        }
        List<Change> changes = new ArrayList<>();
        finishInterrupted(dpkg).ifPresent(changes::add);
        changes.add(Change.of((purge ? "purge " : "remove ") + String.join(", ", remove), AptGet.remove(remove, purge)));
        return Plan.of(changes);
    }

    /** apt refuses to remove, as to install, while an interrupted dpkg run left a package unconfigured. */
    private static Optional<Change> finishInterrupted(InstalledPackages dpkg) {
        return dpkg.anyInterrupted() ? Optional.of(Change.of("finish an interrupted dpkg run", AptGet.finishInterrupted())) : Optional.empty();
    }

    private Plan planInstall(InstalledPackages dpkg, Facts facts) {
        CandidateVersions candidates = facts.get(candidates());
        List<String> stale = new ArrayList<>(facts.get(AptCache.FACT).staleness(cacheMaxAge));
        repositories.stream().filter(repository -> !repository.plan(facts).isEmpty())
                .forEach(repository -> stale.add("repository " + repository.name() + " is being added or changed"));
        boolean update = !stale.isEmpty();

        List<String> install = names.stream().filter(name -> !dpkg.installed(name)).toList();
        List<String> upgrade = wanted != Wanted.LATEST ? List.of() : names.stream()
                .filter(name -> dpkg.installed(name) && !update)
                .filter(name -> candidates.candidate(name).filter(v -> !v.equals(dpkg.find(name).orElseThrow().version())).isPresent())
                .toList();
        // with stale lists the newest version is not known yet: install upgrades whatever the update brings
        List<String> refresh = wanted == Wanted.LATEST && update ? names.stream().filter(dpkg::installed).toList() : List.of();

        List<String> unknown = install.stream().filter(name -> candidates.candidate(name).isEmpty()).toList();
        if (!unknown.isEmpty() && !update) {
            return Plan.fail(unknown.stream()
                    .map(name -> "package " + name + " is not known to apt on " + candidates.hostname()
                            + ": check the name or add its repository")
                    .reduce((a, b) -> a + "\n" + b).orElseThrow());
        }
        List<String> all = new ArrayList<>(install);
        all.addAll(upgrade);
        all.addAll(refresh);
        if (all.isEmpty()) {
            return Plan.ok();
        }
        List<Change> changes = new ArrayList<>();
        if (update) {
            changes.add(Change.of("update package lists (" + String.join("; ", stale) + ")", AptGet.update()));
        }
        finishInterrupted(dpkg).ifPresent(changes::add);
        String script = (update && !install.isEmpty() ? AptGet.requireKnown(install) : "") + AptGet.install(all);
        changes.add(Change.of(summary(install, upgrade, refresh, candidates), script));
        return Plan.of(changes);
    }

    private static String summary(List<String> install, List<String> upgrade, List<String> refresh, CandidateVersions candidates) {
        List<String> parts = new ArrayList<>();
        if (!install.isEmpty()) {
            parts.add("install " + String.join(", ", install));
        }
        if (!upgrade.isEmpty()) {
            parts.add("upgrade " + String.join(", ", upgrade.stream()
                    .map(name -> name + " to " + candidates.candidate(name).orElseThrow()).toList()));
        }
        if (!refresh.isEmpty()) {
            parts.add("upgrade " + String.join(", ", refresh) + " to the newest version after the update");
        }
        return String.join("; ", parts);
    }
}
