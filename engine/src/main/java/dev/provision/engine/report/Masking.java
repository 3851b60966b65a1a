package dev.provision.engine.report;

import dev.provision.task.Diff;
import dev.provision.dsl.Secret;
import dev.provision.dsl.engine.SecretWitness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The secrets of one run, and the one place their values are replaced with {@link Secret#MASK}.
 * A run masks at its edges: what its listeners are told and the report it returns, so every output
 * built on them (console, {@code -vv} log, JSON, error messages) is masked without asking for it.
 */
public final class Masking {

    /** Shorter values would mask ordinary words; a secret that short is no secret. */
    private static final int MIN_LENGTH = 4;

    /** Longest first, so that a secret containing another is masked whole. */
    private volatile List<String> values = List.of();

    public static Masking of(Secret... secrets) {
        Masking masking = new Masking();
        for (Secret secret : secrets) {
            masking.add(secret);
        }
        return masking;
    }

    public void add(Secret secret) {
        add(secret.reveal());
    }

    private synchronized void add(String value) {
        if (value.length() < MIN_LENGTH || values.contains(value)) {
            return;
        }
        List<String> more = new ArrayList<>(values);
        more.add(value);
        more.sort(Comparator.comparingInt(String::length).reversed());
        values = List.copyOf(more);
    }

    /** Runs {@code body} with every secret created or revealed on this thread meanwhile added here. */
    public <T> T watching(Supplier<T> body) {
        return SecretWitness.watching(value -> add(value), body);
    }

    public String mask(String text) {
        List<String> secrets = values;
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, Secret.MASK);
        }
        return masked;
    }

    private Optional<String> mask(Optional<String> text) {
        return text.map(this::mask);
    }

    public TaskResult mask(TaskResult result) {
        return new TaskResult(mask(result.name()), mask(result.resource()), result.status(),
                result.changes().stream().map(this::mask).toList(),
                result.diffs().stream().map(d -> new Diff(mask(d.path()), mask(d.before()), mask(d.after()))).toList(),
                mask(result.message()), result.duration(), result.handler());
    }

    public HostReport mask(HostReport report) {
        return new HostReport(report.host(), report.stage(), report.results().stream().map(this::mask).toList(),
                mask(report.unreachable()), mask(report.failure()), report.roundTrips(), report.duration());
    }

    public RunReport mask(RunReport report) {
        return new RunReport(report.hosts().stream().map(this::mask).toList(), report.check());
    }
}
