package dev.provision.playbooks.synapse;

/** Something a worker is given: a {@link Duty}, or writing a {@link Stream}. */
public sealed interface Role permits Duty, Stream {

    /** The name used in upstream names and messages, e.g. {@code initial_sync} or {@code typing}. */
    String key();

    /** Synapse names a single instance for it, so at most one worker may have it. */
    boolean onlyOneWorker();
}
