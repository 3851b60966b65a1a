package dev.provision.playbooks.synapse;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The stages of Synapse on several machines, in the order {@link SynapseCluster} runs them, each a role
 * of the deployment whose hosts are the machines that have something to do in it: PostgreSQL, then
 * Redis; Synapse's packages on every Synapse machine (so versions can be compared before anything
 * restarts); main, up and healthy; the workers, machine after machine; nginx last, once everything it
 * sends requests to answers. {@link SynapseServer} on one machine runs all of them in one playbook.
 */
enum Stage {
    DATABASE, REDIS, INSTALL, MAIN, WORKERS, EDGE;

    /** The role's name in the inventory: {@code database}, {@code redis}, ... */
    String role() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The machines with something to do in this stage; empty when the topology has no such part. */
    List<String> machines(SynapseTopology topology) {
        return switch (this) {
            case DATABASE -> topology.database().isPresent() ? List.of(topology.databaseMachine()) : List.of();
            case REDIS -> topology.redisSocket().isPresent() ? List.of(topology.redisMachine()) : List.of();
            case INSTALL, WORKERS -> topology.synapseMachines();
            case MAIN -> List.of(topology.machine());
            case EDGE -> List.of(topology.nginxMachine());
        };
    }

    /** The stages in which {@code machine} has something to do, in order. */
    static Set<Stage> on(SynapseTopology topology, String machine) {
        Set<Stage> stages = EnumSet.noneOf(Stage.class);
        for (Stage stage : values()) {
            if (stage.machines(topology).contains(machine)) {
                stages.add(stage);
            }
        }
        return stages;
    }

    /** The stages the topology has, in order. */
    static List<Stage> of(SynapseTopology topology) {
        List<Stage> stages = new ArrayList<>();
        for (Stage stage : values()) {
            if (!stage.machines(topology).isEmpty()) {
                stages.add(stage);
            }
        }
        return stages;
    }

    /** The machine's Synapse configuration is written in this stage: main's in MAIN, a worker machine's in WORKERS. */
    static Stage configuring(SynapseTopology topology, String machine) {
        return machine.equals(topology.machine()) ? MAIN : WORKERS;
    }
}
