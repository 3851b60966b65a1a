package dev.provision.engine.inventory;

import java.util.List;
import java.util.Map;

/**
 * A deployment as the inventory gives it.
 *
 * <pre>{@code
 * deployments:
 *   chat:
 *     class: com.example.Chat        # a dev.provision.dsl.Deployment
 *     roles:
 *       database: db1                # a host, a group, or a list of them
 *       main: app1
 *       workers: [app2, app3]
 * }</pre>
 *
 * @param definedAt   where the class is named ({@code inventory.yaml:7:12}), for messages
 * @param hostsByRole every role's hosts, resolved, in inventory order
 */
public record InventoryDeployment(String name, String className, String definedAt, Map<String, List<String>> hostsByRole) {

    public InventoryDeployment {
        hostsByRole = Map.copyOf(hostsByRole);
    }

    /** Every host of the deployment, once, in the order of its roles. */
    public List<String> hosts() {
        return hostsByRole.values().stream().flatMap(List::stream).distinct().toList();
    }
}
