package dev.provision.engine;

import dev.provision.dsl.Redaction;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionException;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.RunListener;
import dev.provision.engine.report.RunReport;

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
 * cannot be reached, or fails, does not stop the others.
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

    /** One host, connection included. */
    public HostReport run(HostTarget target) {
        long started = System.nanoTime();
        Connection connection;
        try {
            connection = connector.apply(target.connection());
        } catch (ConnectionException e) {
            listener.hostStarted(target.host().name());
            HostReport report = new HostReport(target.host().name(), List.of(), Optional.of(Redaction.mask(e.getMessage())), 0,
                    Duration.ofNanos(System.nanoTime() - started));
            listener.hostFinished(report);
            return report;
        }
        try (connection) {
            return new HostRun(target.host(), target.playbook().get(), connection, options, listener).run();
        }
    }
}
