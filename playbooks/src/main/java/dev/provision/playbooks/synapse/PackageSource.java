package dev.provision.playbooks.synapse;

import java.util.Optional;

/**
 * Where Synapse comes from. Both install {@code /etc/matrix-synapse} and the system user
 * {@code matrix-synapse}, but they differ in the interpreter, the system group and the Redis client.
 */
public enum PackageSource {

    /** {@code matrix-synapse-py3} from packages.matrix.org: a virtualenv with every optional dependency. */
    MATRIX_ORG("matrix-synapse-py3", "/opt/venvs/matrix-synapse/bin/python",
            Optional.of("https://packages.matrix.org/debian/"), true, true),

    /**
     * Debian's own {@code matrix-synapse} (sid): the system interpreter. Debian does not package
     * {@code txredisapi}, so with Redis enabled every Synapse process stops at start-up until it is
     * installed from elsewhere. Its system user has no group of its own (primary group {@code nogroup}).
     */
    DEBIAN("matrix-synapse", "/usr/bin/python3", Optional.empty(), false, false);

    private final String packageName;
    private final String python;
    private final Optional<String> repository;
    private final boolean bundlesRedisClient;
    private final boolean createsSynapseGroup;

    PackageSource(String packageName, String python, Optional<String> repository,
                  boolean bundlesRedisClient, boolean createsSynapseGroup) {
        this.packageName = packageName;
        this.python = python;
        this.repository = repository;
        this.bundlesRedisClient = bundlesRedisClient;
        this.createsSynapseGroup = createsSynapseGroup;
    }

    public String packageName() {
        return packageName;
    }

    /** The interpreter that runs {@code -m synapse.app.homeserver} and {@code -m synapse.app.generic_worker}. */
    public String python() {
        return python;
    }

    /** The APT repository to add before installing, if the package is not in Debian's archive. */
    public Optional<String> repository() {
        return repository;
    }

    /** Whether {@code txredisapi}, which Synapse needs as soon as Redis is enabled, comes with the package. */
    public boolean bundlesRedisClient() {
        return bundlesRedisClient;
    }

    /** Whether the package creates the group {@code matrix-synapse}; if not, the playbook must. */
    public boolean createsSynapseGroup() {
        return createsSynapseGroup;
    }
}
