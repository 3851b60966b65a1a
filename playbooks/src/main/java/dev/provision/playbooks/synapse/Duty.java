package dev.provision.playbooks.synapse;

/**
 * Work a worker does apart from writing streams. Most duties are groups of endpoints nginx sends to
 * the worker; {@link #FEDERATION_SENDER}, {@link #PUSHER} and {@link #BACKGROUND_TASKS} receive no
 * requests and are assigned in the shared configuration only.
 */
public enum Duty implements Role {
    /** Login and registration endpoints. */
    LOGIN("login", false),
    /** Read-mostly client API endpoints, and GET requests of stream endpoints whose stream has no writer. */
    CLIENT_READER("client_reader", false),
    /** End-to-end encryption key endpoints. */
    ENCRYPTION("encryption", false),
    /** Sending events, membership changes and profile requests. */
    EVENT_CREATOR("event_creator", false),
    /** Federation requests other than inbound transactions. */
    FEDERATION_READER("federation_reader", false),
    /** Inbound federation transactions ({@code /_matrix/federation/v1/send/}), sticky by remote address. */
    FEDERATION_INBOUND("federation_inbound", false),
    /** Syncs without {@code since} or with {@code full_state=true}, and {@code /initialSync}; sticky by user. */
    INITIAL_SYNC("initial_sync", false),
    /** Incremental syncs and {@code /events}; sticky by user. */
    NORMAL_SYNC("normal_sync", false),
    /** Updates the user directory ({@code update_user_directory_from_worker}) and serves its search. */
    USER_DIRECTORY("user_directory", true),
    /** The media repository ({@code synapse.app.media_repository}); main stops serving media. */
    MEDIA("media", false),
    /** Sends outbound federation ({@code federation_sender_instances}). */
    FEDERATION_SENDER("federation_sender", false),
    /** Sends push notifications ({@code pusher_instances}). */
    PUSHER("pusher", false),
    /** Runs background tasks ({@code run_background_tasks_on}). */
    BACKGROUND_TASKS("background_tasks", true);

    private final String key;
    private final boolean onlyOneWorker;

    Duty(String key, boolean onlyOneWorker) {
        this.key = key;
        this.onlyOneWorker = onlyOneWorker;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public boolean onlyOneWorker() {
        return onlyOneWorker;
    }
}
