package dev.provision.engine.report;

import java.util.List;

/** All hosts of a run, in inventory order. */
public record RunReport(List<HostReport> hosts, boolean check) {

    public RunReport {
        hosts = List.copyOf(hosts);
    }

    public boolean succeeded() {
        return hosts.stream().allMatch(HostReport::succeeded);
    }

    public boolean anyUnreachable() {
        return hosts.stream().anyMatch(h -> h.unreachable().isPresent());
    }

    public long changed() {
        return hosts.stream().mapToLong(HostReport::changed).sum();
    }
}
