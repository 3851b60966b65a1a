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

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs playbooks on hosts, several hosts at once (at most {@link RunOptions#forks()}), once every
 * host's playbook has accepted its configuration. A host that cannot be reached, or fails, does not
 * stop the others. A host is locked for the whole of its run
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

    /**
     * Every host's playbook is defined (and so validated) before any host is connected to: a playbook
     * that rejects its configuration on one host stops the whole run before it starts, so a typo in
     * one host's variables never leaves a fleet half converged.
     *
     * @throws PlaybookRejectedException when a playbook rejects its configuration; nothing ran
     */
    public RunReport run(List<HostTarget> targets) {
        List<Playbook.Definition> definitions = define(targets);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(options.forks(), targets.size())));
        try {
            List<Future<HostReport>> futures = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                HostTarget target = targets.get(i);
                Playbook.Definition definition = definitions.get(i);
                futures.add(pool.submit(() -> run(target, definition)));
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

    private static List<Playbook.Definition> define(List<HostTarget> targets) {
        List<Playbook.Definition> definitions = new ArrayList<>();
        Map<String, String> rejections = new LinkedHashMap<>();
        for (HostTarget target : targets) {
            try {
                definitions.add(target.playbook().get().definition(target.host()));
            } catch (RuntimeException e) {
                rejections.put(target.host().name(), Redaction.mask(String.valueOf(e.getMessage())));
            }
        }
        if (!rejections.isEmpty()) {
            throw new PlaybookRejectedException(rejections);
        }
        return definitions;
    }

    private HostReport run(HostTarget target, Playbook.Definition definition) {
        long started = System.nanoTime();
        Connection connection;
        try {
            connection = connector.apply(target.connection());
        } catch (ConnectionException e) {
            return unreachable(target, started, Redaction.mask(e.getMessage()));
        }
        String host = target.host().name();
        try (Connection locked = LockedConnection.around(connection, host, options.lockWait(), notice -> listener.hostNotice(host, notice))) {
            return new HostRun(target.host(), definition, locked, options, listener).run();
        }
    }

    private HostReport unreachable(HostTarget target, long started, String why) {
        listener.hostStarted(target.host().name());
        HostReport report = new HostReport(target.host().name(), List.of(), Optional.of(why), 0, Duration.ofNanos(System.nanoTime() - started));
        listener.hostFinished(report);
        return report;
    }
}
