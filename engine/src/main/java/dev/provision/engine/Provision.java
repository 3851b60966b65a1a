package dev.provision.engine;

import dev.provision.dsl.Playbook;
import dev.provision.dsl.Redaction;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionException;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.lock.LockedConnection;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.RunListener;
import dev.provision.engine.report.RunReport;
import dev.provision.engine.report.Status;
import dev.provision.engine.report.TaskResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs playbooks on hosts, several hosts at once (at most {@link RunOptions#forks()}). A host that
 * cannot be reached, or fails, does not stop the others. A host is locked for the whole of its run
 * (see {@link LockedConnection}), so two runs on one host never interleave.
 */
public final class Provision {

    private final Function<ConnectionSettings, Connection> connector;
    private final RunOptions options;
    private final RunListener listener;

    public Provision(Function<ConnectionSettings, Connection> connector, RunOptions options, RunListener listener) {
        this.connector = connector;
        this.options = options;
        this.listener = listener;
    }

    public RunReport run(List<HostTarget> targets) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(options.forks(), targets.size())));
        try {
            List<Future<HostReport>> futures = new ArrayList<>();
            for (HostTarget target : targets) {
                futures.add(pool.submit(() -> run(target)));
            }
            List<HostReport> reports = new ArrayList<>();
            for (Future<HostReport> future : futures) {
                reports.add(future.get());
            }
            return new RunReport(reports, options.check());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("run interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One host: the playbook is defined (and so validated) first, then the host is connected to.
     * A playbook that rejects its configuration never touches the host.
     */
    public HostReport run(HostTarget target) {
        long started = System.nanoTime();
        Playbook.Definition definition;
        try {
            definition = target.playbook().get().definition(target.host());
        } catch (RuntimeException e) {
            return notRun(target, started, new TaskResult("define playbook", target.host().name(), Status.FAILED, List.of(), List.of(),
                    Optional.of(Redaction.mask(String.valueOf(e.getMessage()))), Duration.ZERO, false), Optional.empty());
        }
        Connection connection;
        try {
            connection = connector.apply(target.connection());
        } catch (ConnectionException e) {
            return notRun(target, started, null, Optional.of(Redaction.mask(e.getMessage())));
        }
        String host = target.host().name();
        try (Connection locked = LockedConnection.around(connection, host, options.lockWait(), notice -> listener.hostNotice(host, notice))) {
            return new HostRun(target.host(), definition, locked, options, listener).run();
        }
    }

    private HostReport notRun(HostTarget target, long started, TaskResult failure, Optional<String> unreachable) {
        listener.hostStarted(target.host().name());
        List<TaskResult> results = failure == null ? List.of() : List.of(failure);
        results.forEach(r -> listener.taskFinished(target.host().name(), r));
        HostReport report = new HostReport(target.host().name(), results, unreachable, 0, Duration.ofNanos(System.nanoTime() - started));
        listener.hostFinished(report);
        return report;
    }
}
