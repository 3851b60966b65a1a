package dev.provision.playbooks.synapse;

import java.util.Arrays;
import java.util.Optional;

/** An example request for an endpoint: method, path as sent (percent-encoded) and query string. */
public record SampleRequest(String method, String path, String query) {

    /** Parses {@code "GET /_matrix/client/v3/sync?since=s1"}. */
    public static SampleRequest parse(String line) {
        String[] methodAndUri = line.split(" ", 2);
        String[] pathAndQuery = methodAndUri[1].split("\\?", 2);
        return new SampleRequest(methodAndUri[0], pathAndQuery[0], pathAndQuery.length > 1 ? pathAndQuery[1] : "");
    }

    /** Path and query, as to be put on the request line. */
    public String uri() {
        return query.isEmpty() ? path : path + "?" + query;
    }

    public Optional<String> queryParameter(String name) {
        return Arrays.stream(query.split("&"))
                .map(pair -> pair.split("=", 2))
                .filter(pair -> pair[0].equals(name))
                .map(pair -> pair.length > 1 ? pair[1] : "")
                .findFirst();
    }

    /**
     * A sync Synapse must compute from scratch: without {@code since} or with {@code full_state=true}
     * (WMD, "Load balancing"; ESS also treats full_state as initial).
     */
    public boolean isInitialSync() {
        return queryParameter("since").orElse("").isEmpty()
                || queryParameter("full_state").orElse("").equals("true");
    }

    @Override
    public String toString() {
        return method + " " + uri();
    }
}
