package dev.provision.engine;

import dev.provision.dsl.engine.DeploymentDefinition;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deployment to run: what it declared, which hosts take each role (their playbook is the role's),
 * and which of them run.
 *
 * @param hostsByRole every role's hosts, in inventory order
 * @param limited     the hosts that run (all of them without {@code --limit}); a host outside this set
 *                    is only read, facts and nothing else, when a host that runs needs what it made
 */
public record DeploymentTarget(String name, DeploymentDefinition definition, Map<String, List<HostTarget>> hostsByRole,
                               Set<String> limited) {

    public DeploymentTarget {
        hostsByRole = Map.copyOf(hostsByRole);
        limited = Set.copyOf(limited);
    }

    public List<HostTarget> hosts(String role) {
        return hostsByRole.getOrDefault(role, List.of());
    }
}
