package dev.provision.playbooks.synapse;

import java.util.List;

/**
 * A request nginx must send to one of {@code processes} ({@code main} or worker names), and the
 * {@code $upstream_addr} values nginx logs for them ({@code unix:/run/matrix-synapse/inbound_x.sock}).
 * Requests to {@code adminOnly} routes are answered 403 unless they come from an allowed address.
 * Requests must carry {@code Host: <public hostname>} to reach the Synapse server block.
 */
public record Route(SampleRequest request, List<String> processes, List<String> upstreamAddresses, boolean adminOnly) {

    public Route {
        processes = List.copyOf(processes);
        upstreamAddresses = List.copyOf(upstreamAddresses);
    }
}
