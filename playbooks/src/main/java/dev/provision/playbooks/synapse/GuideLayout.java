package dev.provision.playbooks.synapse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The worker layout of the guide: a worker per task (login, federation_sender, mediaworker, userdir,
 * pusher), a worker per stream (push_rules, typing, todevice, accountdata, presence, receipts), two
 * initial-sync and three normal-sync workers. Adjust it rather than starting from scratch:
 *
 * <pre>{@code
 * GuideLayout.standard().initialSyncWorkers(1).normalSyncWorkers(4).allStreamsOn("streamwriter")
 * }</pre>
 */
public record GuideLayout(int initialSyncWorkers, int normalSyncWorkers, Optional<String> streamWriter,
                          Map<String, String> renames, Set<String> removed, List<SynapseWorker> added) {

    private static final List<SynapseWorker> STREAM_WRITERS = List.of(
            SynapseWorker.named("push_rules").writing(Stream.PUSH_RULES),
            SynapseWorker.named("typing").writing(Stream.TYPING),
            SynapseWorker.named("todevice").writing(Stream.TO_DEVICE),
            SynapseWorker.named("accountdata").writing(Stream.ACCOUNT_DATA),
            SynapseWorker.named("presence").writing(Stream.PRESENCE),
            SynapseWorker.named("receipts").writing(Stream.RECEIPTS));

    public GuideLayout {
        requireCount("initialSyncWorkers", initialSyncWorkers);
        requireCount("normalSyncWorkers", normalSyncWorkers);
        renames = Collections.unmodifiableMap(new LinkedHashMap<>(renames));
        removed = Collections.unmodifiableSet(new TreeSet<>(removed));
        added = List.copyOf(added);
    }

    private static void requireCount(String what, int count) {
        if (count < 0) {
            throw new IllegalArgumentException(what + " is " + count + ", but a worker count cannot be below zero: use 0 for none");
        }
    }

    public static GuideLayout standard() {
        return new GuideLayout(2, 3, Optional.empty(), Map.of(), Set.of(), List.of());
    }

    /** Workers {@code initial_sync1..count}. */
    public GuideLayout initialSyncWorkers(int count) {
        return new GuideLayout(count, normalSyncWorkers, streamWriter, renames, removed, added);
    }

    /** Workers {@code normal_sync1..count}. */
    public GuideLayout normalSyncWorkers(int count) {
        return new GuideLayout(initialSyncWorkers, count, streamWriter, renames, removed, added);
    }

    /** One worker of this name writes all six streams instead of a worker per stream. */
    public GuideLayout allStreamsOn(String workerName) {
        return new GuideLayout(initialSyncWorkers, normalSyncWorkers, Optional.of(workerName), renames, removed, added);
    }

    public GuideLayout rename(String worker, String newName) {
        Map<String, String> more = new LinkedHashMap<>(renames);
        more.put(worker, newName);
        return new GuideLayout(initialSyncWorkers, normalSyncWorkers, streamWriter, more, removed, added);
    }

    public GuideLayout without(String worker) {
        Set<String> more = new TreeSet<>(removed);
        more.add(worker);
        return new GuideLayout(initialSyncWorkers, normalSyncWorkers, streamWriter, renames, more, added);
    }

    public GuideLayout plus(SynapseWorker worker) {
        List<SynapseWorker> more = new ArrayList<>(added);
        more.add(worker);
        return new GuideLayout(initialSyncWorkers, normalSyncWorkers, streamWriter, renames, removed, more);
    }

    /** The workers in the guide's order, after counts, stream merging, renames, removals and additions. */
    public List<SynapseWorker> workers() {
        List<SynapseWorker> workers = new ArrayList<>(List.of(
                SynapseWorker.named("login").doing(Duty.LOGIN),
                SynapseWorker.named("federation_sender").doing(Duty.FEDERATION_SENDER),
                SynapseWorker.named("mediaworker").doing(Duty.MEDIA),
                SynapseWorker.named("userdir").doing(Duty.USER_DIRECTORY),
                SynapseWorker.named("pusher").doing(Duty.PUSHER)));
        workers.addAll(streamWriter
                .map(name -> List.of(SynapseWorker.named(name).writing(
                        STREAM_WRITERS.stream().flatMap(w -> w.streams().stream()).toArray(Stream[]::new))))
                .orElse(STREAM_WRITERS));
        for (int i = 1; i <= initialSyncWorkers; i++) {
            workers.add(SynapseWorker.named("initial_sync" + i).doing(Duty.INITIAL_SYNC));
        }
        for (int i = 1; i <= normalSyncWorkers; i++) {
            workers.add(SynapseWorker.named("normal_sync" + i).doing(Duty.NORMAL_SYNC));
        }
        workers.replaceAll(worker -> worker.renamed(renames.getOrDefault(worker.name(), worker.name())));
        workers.removeIf(worker -> removed.contains(worker.name()));
        workers.addAll(added);
        return List.copyOf(workers);
    }
}
