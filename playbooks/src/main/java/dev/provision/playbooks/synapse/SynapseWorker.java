package dev.provision.playbooks.synapse;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One Synapse worker process: its name (also its systemd instance and file names), its duties and
 * the streams it writes. Everything else is derived: its listeners, whether it is in
 * {@code instance_map}, the requests nginx sends it.
 *
 * <pre>{@code
 * SynapseWorker.named("sync1").doing(Duty.NORMAL_SYNC)
 * SynapseWorker.named("streamwriter").writing(Stream.TYPING, Stream.TO_DEVICE)
 * }</pre>
 */
public record SynapseWorker(String name, Set<Duty> duties, Set<Stream> streams,
                            Optional<String> machine, Optional<Boolean> replicationListener) {

    public SynapseWorker {
        duties = Collections.unmodifiableSet(duties.isEmpty() ? EnumSet.noneOf(Duty.class) : EnumSet.copyOf(duties));
        streams = Collections.unmodifiableSet(streams.isEmpty() ? EnumSet.noneOf(Stream.class) : EnumSet.copyOf(streams));
    }

    public static SynapseWorker named(String name) {
        return new SynapseWorker(name, Set.of(), Set.of(), Optional.empty(), Optional.empty());
    }

    public SynapseWorker doing(Duty... more) {
        EnumSet<Duty> all = EnumSet.noneOf(Duty.class);
        all.addAll(duties);
        all.addAll(Arrays.asList(more));
        return new SynapseWorker(name, all, streams, machine, replicationListener);
    }

    public SynapseWorker writing(Stream... more) {
        EnumSet<Stream> all = EnumSet.noneOf(Stream.class);
        all.addAll(streams);
        all.addAll(Arrays.asList(more));
        return new SynapseWorker(name, duties, all, machine, replicationListener);
    }

    /** The machine this worker runs on; by default the one main runs on. */
    public SynapseWorker on(String machine) {
        return new SynapseWorker(name, duties, streams, Optional.of(machine), replicationListener);
    }

    /** Adds a replication listener (and an {@code instance_map} entry) that the worker's roles don't need. */
    public SynapseWorker withReplicationListener() {
        return new SynapseWorker(name, duties, streams, machine, Optional.of(true));
    }

    /** Leaves out the replication listener; only valid for workers that write no stream. */
    public SynapseWorker withoutReplicationListener() {
        return new SynapseWorker(name, duties, streams, machine, Optional.of(false));
    }

    public SynapseWorker renamed(String newName) {
        return new SynapseWorker(newName, duties, streams, machine, replicationListener);
    }

    public boolean does(Role role) {
        return role instanceof Duty duty ? duties.contains(duty) : streams.contains((Stream) role);
    }

    /** Stream writers, and media workers (they write {@code quarantined_media_changes}). */
    public boolean writesAStream() {
        return !streams.isEmpty() || duties.contains(Duty.MEDIA);
    }

    /** Whether the worker listens for replication and so appears in {@code instance_map}. */
    public boolean hasReplicationListener() {
        return replicationListener.orElse(writesAStream());
    }

    /** The {@code worker_app}: the media repository app for media workers, as Synapse's docs recommend. */
    public String workerApp() {
        return duties.contains(Duty.MEDIA) ? "synapse.app.media_repository" : "synapse.app.generic_worker";
    }

    /**
     * The resources of the inbound listener: whatever the requests nginx may send this worker need
     * ({@code client}, {@code federation}, {@code media}); empty when nginx sends it nothing.
     */
    public List<String> inboundResources() {
        return Arrays.stream(EndpointGroup.values())
                .filter(group -> group.mayBeServedBy(this))
                .map(EndpointGroup::resource)
                .distinct()
                .sorted()
                .toList();
    }

    public boolean hasInboundListener() {
        return !inboundResources().isEmpty();
    }

    public boolean hasNoRole() {
        return duties.isEmpty() && streams.isEmpty();
    }
}
