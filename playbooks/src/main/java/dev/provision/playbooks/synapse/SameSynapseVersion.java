package dev.provision.playbooks.synapse;

import dev.provision.dsl.Received;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every Synapse machine runs the same Synapse: processes of different versions share one database
 * schema and one replication protocol, and a newer one may migrate the schema under an older one.
 * Checked from what each machine's install stage found installed, before main restarts; a version not
 * known yet (check mode, before the install stage ran) passes.
 */
final class SameSynapseVersion implements Task {

    private final Map<String, Received<String>> installed;

    SameSynapseVersion(Map<String, Received<String>> installed) {
        this.installed = installed;
    }

    @Override
    public String describe() {
        return "Synapse's version on " + String.join(", ", installed.keySet());
    }

    @Override
    public List<Fact<?>> facts() {
        return List.of();
    }

    @Override
    public Plan plan(Facts facts) {
        Map<String, String> versions = new TreeMap<>();
        installed.forEach((machine, version) -> version.value().ifPresent(value -> versions.put(machine, value)));
        if (versions.values().stream().distinct().count() <= 1) {
            return Plan.ok();
        }
        return Plan.fail("Synapse's version differs between machines ("
                + versions.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))
                + "), so nothing was restarted: install one version everywhere (apt-get install matrix-synapse=VERSION, or"
                + " matrix-synapse-py3=VERSION from packages.matrix.org) and run again");
    }
}
