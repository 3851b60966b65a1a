package dev.provision.engine;

import java.util.Map;
import java.util.stream.Collectors;

/** Playbooks that rejected their configuration (a missing variable, an invalid Synapse topology): nothing ran. */
public final class PlaybookRejectedException extends RuntimeException {

    private final Map<String, String> reasonByHost;

    /** @param reasonByHost each rejecting host's name and its playbook's message, secrets masked */
    public PlaybookRejectedException(Map<String, String> reasonByHost) {
        super(reasonByHost.entrySet().stream().map(e -> "the playbook of " + e.getKey() + " rejects its configuration: " + e.getValue())
                .collect(Collectors.joining("\n", "", "\nnothing ran on any host")));
        this.reasonByHost = Map.copyOf(reasonByHost);
    }

    public Map<String, String> reasonByHost() {
        return reasonByHost;
    }
}
