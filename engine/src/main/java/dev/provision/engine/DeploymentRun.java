package dev.provision.engine;

import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.dsl.Product;
import dev.provision.dsl.Received;
import dev.provision.dsl.engine.Definition;
import dev.provision.dsl.engine.DeploymentDefinition;
import dev.provision.dsl.engine.DeploymentDefinition.RoleEntry;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionException;
import dev.provision.engine.facts.FactGatherer;
import dev.provision.engine.facts.GatheredFacts;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.RunReport;
import dev.provision.engine.report.Status;
import dev.provision.engine.report.TaskResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One run of a deployment. Its roles are stages, in the order the deployment declared them after
 * the roles they wait for. A stage's hosts run at once, or batch after batch as its rollout says;
 * a stage starts when every stage it waits for has finished, and is skipped on all its hosts, with
 * the reason, when a host of one of those failed or was skipped (beyond what that stage tolerates, if it
 * says). Stages that wait for nothing that failed go on.
 *
 * <p>Each host keeps one connection (and so its lock) for the whole deployment. When a host has
 * finished a stage, what its role produces is read there, in one batch, and kept in the controller's
 * memory for the stages after it: never written to disk, masked like every secret of the run, and
 * written to other hosts only inside a script's payload, never on a command line. In check mode a
 * value the producing host has not made yet is received as pending, and the receiving task plans
 * it as "received from HOST". A host outside {@code --limit} runs nothing; when a host that runs
 * needs what it made, it is read (facts only).
 *
 * <p>Every host's playbook is defined before any host is connected to, with every received value
 * pending, so a playbook that rejects its configuration stops the deployment before it starts; each
 * is defined again, with what it received, when its stage starts.
 */
final class DeploymentRun {

    private final Provision provision;
    private final DeploymentTarget deployment;
    private final DeploymentDefinition definition;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, String> unreachable = new ConcurrentHashMap<>();
    /** By product name, by producing host: what the hosts of earlier stages made. */
    private final Map<String, Map<String, Received<?>>> received = new ConcurrentHashMap<>();
    /** By role, the hosts that failed it or were skipped in it. */
    private final Map<String, Map<String, Outcome>> stopped = new LinkedHashMap<>();
    private final List<HostReport> reports = new ArrayList<>();

    /** What kept a host from finishing its stage. */
    private enum Outcome {
        FAILED, SKIPPED
    }

    DeploymentRun(Provision provision, DeploymentTarget deployment) {
        this.provision = provision;
        this.deployment = deployment;
        this.definition = deployment.definition();
    }

    RunReport run() {
        provision.masking().watching(() -> {
            defineAllPending();
            return null;
        });
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, provision.options().forks()));
        try {
            for (RoleEntry role : definition.roles()) {
                stopped.put(role.name(), runStage(role, pool));
            }
            return new RunReport(reports, provision.options().check());
        } finally {
            pool.shutdownNow();
            connections.values().forEach(Connection::close);
        }
    }

    /** Rejections stop the deployment before any host is touched, as for single hosts. */
    private void defineAllPending() {
        List<HostTarget> targets = new ArrayList<>();
        for (RoleEntry role : definition.roles()) {
            for (HostTarget target : deployment.hosts(role.name())) {
                targets.add(new HostTarget(withReceived(target.host(), role, true), target.connection(), role.playbook()));
            }
        }
        provision.define(targets);
    }

    /** The hosts of the role that failed or were skipped. */
    private Map<String, Outcome> runStage(RoleEntry role, ExecutorService pool) {
        List<HostTarget> hosts = deployment.hosts(role.name()).stream().filter(h -> deployment.limited().contains(h.host().name())).toList();
        Map<String, Outcome> out = new LinkedHashMap<>();
        Optional<String> blocker = blocker(role);
        if (blocker.isPresent()) {
            hosts.forEach(host -> skip(host, role, blocker.get(), out));
            return out;
        }
        Optional<String> unread = readProductsOutsideTheLimit(role);
        List<List<HostTarget>> batches = role.rollout().batches(hosts);
        for (int b = 0; b < batches.size(); b++) {
            List<HostTarget> batch = batches.get(b);
            List<Future<HostReport>> futures = new ArrayList<>();
            for (HostTarget host : batch) {
                futures.add(pool.submit(() -> provision.masking().watching(() -> runHost(host, role, unread))));
            }
            int failed = 0;
            for (int i = 0; i < futures.size(); i++) {
                HostReport report = await(futures.get(i));
                reports.add(report);
                if (!report.succeeded()) {
                    failed++;
                    out.put(batch.get(i).host().name(), Outcome.FAILED);
                }
            }
            if (role.rollout().stops(failed, batch.size()) && b + 1 < batches.size()) {
                String why = "role " + role.name() + " stopped: " + failed + " of " + batch.size() + " hosts of batch " + (b + 1)
                        + " failed, more than the " + role.rollout().tolerated().orElseThrow() + " it tolerates";
                batches.subList(b + 1, batches.size()).forEach(later -> later.forEach(host -> skip(host, role, why, out)));
                break;
            }
        }
        return out;
    }

    /** Why the role cannot start: a host of a role it waits for failed or was skipped. */
    private Optional<String> blocker(RoleEntry role) {
        for (String before : definition.before(role.name())) {
            Map<String, Outcome> bad = stopped.getOrDefault(before, Map.of());
            if (!bad.isEmpty() && !tolerates(definition.role(before), bad.size())) {
                Map.Entry<String, Outcome> first = bad.entrySet().iterator().next();
                return Optional.of("waits for " + first.getKey() + " (role " + before + "), which "
                        + (first.getValue() == Outcome.FAILED ? "failed" : "was skipped"));
            }
        }
        return Optional.empty();
    }

    /**
     * A role that tolerates failures ({@code maxFailures}, {@code maxFailPercent}) lets the roles after it
     * go on while no more of all its hosts failed or were skipped than it tolerates of a batch.
     */
    private boolean tolerates(RoleEntry role, int stoppedHosts) {
        int hosts = deployment.hosts(role.name()).size();
        return role.rollout().tolerated().map(share -> share.percent() ? stoppedHosts * 100 <= share.count() * hosts : stoppedHosts <= share.count())
                .orElse(false);
    }

    private void skip(HostTarget host, RoleEntry role, String why, Map<String, Outcome> outcomes) {
        outcomes.put(host.host().name(), Outcome.SKIPPED);
        Optional<String> stage = Optional.of(role.name());
        String label = HostReport.label(host.host().name(), stage);
        provision.listener().hostStarted(label);
        TaskResult skipped = new TaskResult("stage " + role.name() + ": " + why, "role " + role.name() + " of " + deployment.name(), Status.SKIPPED,
                List.of(), List.of(), Optional.of(why), Duration.ZERO, false);
        provision.listener().taskFinished(label, skipped);
        HostReport report = new HostReport(host.host().name(), stage, List.of(skipped), Optional.empty(), Optional.empty(), 0, Duration.ZERO);
        provision.listener().hostFinished(report);
        reports.add(report);
    }

    private HostReport runHost(HostTarget target, RoleEntry role, Optional<String> unread) {
        long started = System.nanoTime();
        String name = target.host().name();
        Optional<String> stage = Optional.of(role.name());
        try {
            if (unread.isPresent()) {
                return provision.ended(name, stage, started, Optional.empty(), unread);
            }
            Optional<String> missing = provision.options().check() ? Optional.empty() : missingProduct(role);
            if (missing.isPresent()) {
                return provision.ended(name, stage, started, Optional.empty(), missing);
            }
            Connection connection;
            try {
                connection = connection(target);
            } catch (ConnectionException e) {
                return provision.ended(name, stage, started, Optional.of(e.getMessage()), Optional.empty());
            }
            Playbook playbook = role.playbook().get();
            Definition steps = playbook.definition(withReceived(target.host(), role, false));
            HostReport report = new HostRun(target.host(), stage, steps, connection, provision.options(), provision.listener()).run();
            if (report.succeeded()) {
                try {
                    readProducts(role, name, connection);
                } catch (ConnectionException e) {
                    return new HostReport(name, stage, report.results(), Optional.empty(),
                            Optional.of("could not read what the stage made: " + e.getMessage()), report.roundTrips(), report.duration());
                }
            }
            return report;
        } catch (ConnectionException e) {
            return provision.ended(name, stage, started, Optional.empty(), Optional.of(e.getMessage()));
        } catch (RuntimeException | Error e) {
            return provision.brokeOff(name, stage, started, e);
        }
    }

    /** In apply mode every product a role receives must have been made by now. */
    private Optional<String> missingProduct(RoleEntry role) {
        for (String before : definition.before(role.name())) {
            for (Product<?> product : definition.role(before).products()) {
                for (Map.Entry<String, Received<?>> each : received.getOrDefault(product.name(), Map.of()).entrySet()) {
                    if (!each.getValue().isPresent()) {
                        return Optional.of(product.name() + " was not made by " + each.getKey() + ": role " + before
                                + " finished there without it; check that its playbook makes what " + product.fact().command() + " reads");
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The host as the playbook sees it: with every product of the roles it waits for, pending or made. */
    private Host withReceived(Host host, RoleEntry role, boolean pending) {
        Map<String, Map<String, Received<?>>> values = new LinkedHashMap<>();
        for (String before : definition.before(role.name())) {
            for (Product<?> product : definition.role(before).products()) {
                Map<String, Received<?>> each = new LinkedHashMap<>();
                for (HostTarget producer : deployment.hosts(before)) {
                    String from = producer.host().name();
                    Received<?> value = pending ? null : received.getOrDefault(product.name(), Map.of()).get(from);
                    each.put(from, value != null ? value : Received.pending(product.name(), from));
                }
                values.put(product.name(), each);
            }
        }
        return new Host(host.name(), host.vars(), values);
    }

    /** What the host made for later roles, read there in one batch. */
    private void readProducts(RoleEntry role, String host, Connection connection) {
        if (role.products().isEmpty()) {
            return;
        }
        GatheredFacts facts = new FactGatherer(connection, provision.options().commandTimeout())
                .gather(role.products().stream().<dev.provision.task.Fact<?>>map(Product::fact).toList());
        for (Product<?> product : role.products()) {
            received.computeIfAbsent(product.name(), name -> new ConcurrentHashMap<>())
                    .put(host, new Received<>(product.name(), host, facts.get(product.fact()).map(value -> (Object) value)));
        }
    }

    /**
     * Reads, facts only, what hosts outside {@code --limit} made for this role; empty when all could be
     * read, else why the role's hosts cannot run.
     */
    private Optional<String> readProductsOutsideTheLimit(RoleEntry role) {
        for (String before : definition.before(role.name())) {
            RoleEntry producer = definition.role(before);
            if (producer.products().isEmpty()) {
                continue;
            }
            for (HostTarget host : deployment.hosts(before)) {
                String name = host.host().name();
                if (deployment.limited().contains(name) || producer.products().stream()
                        .allMatch(p -> received.getOrDefault(p.name(), Map.of()).containsKey(name))) {
                    continue;
                }
                try {
                    readProducts(producer, name, connection(host));
                } catch (ConnectionException e) {
                    return Optional.of("needs what " + name + " (role " + before + ", outside --limit) made, and it could not be read: "
                            + e.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    private Connection connection(HostTarget target) {
        String name = target.host().name();
        String refused = unreachable.get(name);
        if (refused != null) {
            throw new ConnectionException(refused);
        }
        Connection open = connections.get(name);
        if (open != null) {
            return open;
        }
        try {
            open = provision.connect(target);
        } catch (ConnectionException e) {
            unreachable.put(name, e.getMessage());
            throw e;
        }
        connections.put(name, open);
        return open;
    }

    private static HostReport await(Future<HostReport> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("deployment interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(String.valueOf(e.getCause()), e.getCause());
        }
    }
}
