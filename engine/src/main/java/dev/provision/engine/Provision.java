package dev.provision.engine;

import dev.provision.dsl.engine.Definition;
import dev.provision.dsl.Secret;
import dev.provision.engine.connect.CommandLog;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionChain;
import dev.provision.engine.connect.ConnectionException;
import dev.provision.engine.connect.Layer;
import dev.provision.engine.lock.HostLockLayer;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.Masking;
import dev.provision.engine.report.MaskingListener;
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

/**
 * Runs playbooks on hosts, several hosts at once (at most {@link RunOptions#forks()}), once every
 * host's playbook has accepted its configuration. A host that cannot be reached, or fails, or
 * breaks on an error nobody expected, does not stop the others. Each host's shell gets the run's
 * layers: the host lock (see {@link HostLockLayer}), so two runs on one host never interleave, and
 * the command log. The run's secrets are masked in everything its listener is told and in the
 * report it returns.
 */
public final class Provision {

    private final Connector connector;
    private final RunOptions options;
    private final RunListener listener;
    private final Masking masking;

    public Provision(Connector connector, RunOptions options, RunListener listener, Masking masking) {
        this.connector = connector;
        this.options = options;
        this.masking = masking;
        this.listener = new MaskingListener(listener, masking);
    }

    /** A run with secrets of its own: those of the targets and those its playbooks create. */
    public Provision(Connector connector, RunOptions options, RunListener listener) {
        this(connector, options, listener, new Masking());
    }

    /**
     * Every host's playbook is defined (and so validated) before any host is connected to: a playbook
     * that rejects its configuration on one host stops the whole run before it starts, so a typo in
     * one host's variables never leaves a fleet half converged.
     *
     * @throws PlaybookRejectedException when a playbook rejects its configuration; nothing ran
     */
    public RunReport run(List<HostTarget> targets) {
        targets.forEach(this::learnSecrets);
        List<Definition> definitions = masking.watching(() -> define(targets));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(options.forks(), targets.size())));
        try {
            List<Future<HostReport>> futures = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                HostTarget target = targets.get(i);
                Definition definition = definitions.get(i);
                futures.add(pool.submit(() -> masking.watching(() -> isolated(target, definition))));
            }
            List<HostReport> reports = new ArrayList<>();
            for (Future<HostReport> future : futures) {
                reports.add(future.get());
            }
            return masking.mask(new RunReport(reports, options.check()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("run interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(masking.mask(String.valueOf(e.getCause())), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Runs a deployment: its roles as stages, in order, each on its hosts, values handed from the hosts
     * of earlier roles to later ones (see {@link DeploymentRun}).
     *
     * @throws PlaybookRejectedException when a role's playbook rejects its configuration on any host; nothing ran
     */
    public RunReport deploy(DeploymentTarget deployment) {
        deployment.hostsByRole().values().forEach(targets -> targets.forEach(this::learnSecrets));
        return masking.mask(new DeploymentRun(this, deployment).run());
    }

    RunOptions options() {
        return options;
    }

    RunListener listener() {
        return listener;
    }

    Masking masking() {
        return masking;
    }

    private void learnSecrets(HostTarget target) {
        target.host().vars().values().forEach(value -> {
            if (value instanceof Secret secret) {
                masking.add(secret);
            }
        });
        target.connection().password().ifPresent(masking::add);
        target.connection().becomePassword().ifPresent(masking::add);
    }

    /**
     * Defines every target's playbook; all rejections together stop the run.
     *
     * @throws PlaybookRejectedException naming each rejecting host
     */
    List<Definition> define(List<HostTarget> targets) {
        List<Definition> definitions = new ArrayList<>();
        Map<String, String> rejections = new LinkedHashMap<>();
        for (HostTarget target : targets) {
            try {
                definitions.add(target.playbook().get().definition(target.host()));
            } catch (RuntimeException e) {
                rejections.put(target.host().name(), String.valueOf(e.getMessage()));
            }
        }
        if (!rejections.isEmpty()) {
            rejections.replaceAll((host, reason) -> masking.mask(reason));
            throw new PlaybookRejectedException(rejections);
        }
        return definitions;
    }

    /** The host's run; whatever breaks it is this host's failure, and the other hosts go on. */
    private HostReport isolated(HostTarget target, Definition definition) {
        long started = System.nanoTime();
        try {
            Connection connection;
            try {
                connection = connect(target);
            } catch (ConnectionException e) {
                return ended(target.host().name(), Optional.empty(), started, Optional.of(e.getMessage()), Optional.empty());
            }
            try (connection) {
                return new HostRun(target.host(), definition, connection, options, listener).run();
            }
        } catch (RuntimeException | Error e) {
            return brokeOff(target.host().name(), Optional.empty(), started, e);
        }
    }

    /** The host's shell with the run's layers around it: the host lock, then the command log. */
    Connection connect(HostTarget target) {
        Connection shell = connector.open(target);
        String host = target.host().name();
        List<Layer> layers = List.of(
                HostLockLayer.forThisProcess(host, options.lockWait(), notice -> listener.hostNotice(host, notice)),
                new CommandLog(line -> listener.command(host, line)));
        return ConnectionChain.of(shell, layers);
    }

    /** A host's run that broke off on {@code e}, outside any task. */
    HostReport brokeOff(String host, Optional<String> stage, long started, Throwable e) {
        return ended(host, stage, started, Optional.empty(), Optional.of("the run on " + host + " broke off: " + HostRun.unexpected(e)));
    }

    /** A host that ran no task: unreachable, or broken off. */
    HostReport ended(String host, Optional<String> stage, long started, Optional<String> unreachable, Optional<String> failure) {
        String label = HostReport.label(host, stage);
        if (unreachable.isPresent()) {
            listener.hostStarted(label);
        }
        HostReport report = new HostReport(host, stage, List.of(), unreachable, failure, 0, Duration.ofNanos(System.nanoTime() - started));
        listener.hostFinished(report);
        return report;
    }
}
