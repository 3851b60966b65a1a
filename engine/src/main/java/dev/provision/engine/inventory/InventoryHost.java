package dev.provision.engine.inventory;

import dev.provision.engine.connect.ConnectionSettings;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host as the inventory defines it, with everything inherited from its groups already applied.
 *
 * @param groups   the groups it belongs to, directly or through a child group, in inventory order ({@code all} left out)
 * @param vars     its variables, secrets as {@link dev.provision.dsl.Secret}s
 * @param playbook the playbook class it gets, if the inventory names one
 */
public record InventoryHost(String name, List<String> groups, Map<String, Object> vars, ConnectionSettings connection,
                            Optional<PlaybookName> playbook) {

    public InventoryHost {
        groups = List.copyOf(groups);
        vars = Map.copyOf(vars);
    }

    /** A playbook class name and where the inventory gives it ({@code inventory.yaml:7:15}). */
    public record PlaybookName(String className, String definedAt) {
    }
}
