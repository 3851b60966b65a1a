package dev.provision.playbooks.synapse;

/**
 * A replication stream a worker can write instead of main ({@code stream_writers}). A writer needs a
 * replication listener and an {@code instance_map} entry. Synapse allows exactly one writer for
 * typing, to_device, account_data, presence and push_rules ({@code synapse/config/workers.py}).
 * {@code quarantined_media_changes} is not listed: media workers always write it (since 1.152 a
 * worker serving the quarantine endpoints must).
 */
public enum Stream implements Role {
    EVENTS("events", false),
    TYPING("typing", true),
    TO_DEVICE("to_device", true),
    ACCOUNT_DATA("account_data", true),
    RECEIPTS("receipts", false),
    PRESENCE("presence", true),
    PUSH_RULES("push_rules", true),
    DEVICE_LISTS("device_lists", false);

    private final String key;
    private final boolean onlyOneWorker;

    Stream(String key, boolean onlyOneWorker) {
        this.key = key;
        this.onlyOneWorker = onlyOneWorker;
    }

    /** The key under {@code stream_writers}. */
    @Override
    public String key() {
        return key;
    }

    @Override
    public boolean onlyOneWorker() {
        return onlyOneWorker;
    }
}
