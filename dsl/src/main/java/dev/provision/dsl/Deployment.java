package dev.provision.dsl;

import dev.provision.dsl.engine.DeploymentDefinition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One system spread over several hosts: its roles, the playbook each role's hosts get, the order
 * among roles, and the values that travel from host to host. The inventory says which hosts take
 * which role.
 *
 * <pre>{@code
 * public class Chat extends Deployment {
 *     protected void define() {
 *         Role database = role("database", Database::new);
 *         Role main = role("main", MainServer::new).after(database);
 *         role("workers", Worker::new).after(main).serial(1).maxFailures(0);
 *         Product<Secret> replication = main.produces("replication secret", Facts.secretFile(...));
 *     }
 * }
 * }</pre>
 *
 * Hosts of one role run at once (or {@link Role#serial} at a time); a role starts when the roles it
 * comes {@link Role#after} have finished on all their hosts, and is skipped on its hosts when one of
 * those failed. Deployments need a public no-argument constructor.
 */
public abstract class Deployment {

    private final Map<String, Role> roles = new LinkedHashMap<>();

    /** Declares the roles, their order and what they produce. */
    protected abstract void define();

    /** A role whose hosts each get a fresh playbook from {@code playbook}. */
    protected Role role(String name, Supplier<? extends Playbook> playbook) {
        if (roles.containsKey(name)) {
            throw new IllegalArgumentException("role " + name + " is declared twice in " + getClass().getName() + ": give each role one name");
        }
        Role role = new Role(name, playbook);
        roles.put(name, role);
        return role;
    }

    /** The roles as the engine reads them. Call once per instance. */
    public final DeploymentDefinition definition() {
        if (!roles.isEmpty()) {
            throw new IllegalStateException(getClass().getName() + " was already defined; create one instance per run");
        }
        define();
        List<DeploymentDefinition.RoleEntry> entries = new ArrayList<>();
        roles.values().forEach(role -> entries.add(role.entry()));
        return DeploymentDefinition.of(getClass().getName(), entries, this::checkHosts);
    }

    /**
     * What is wrong with the hosts the inventory gives each role, by role name, in inventory order:
     * each problem a sentence naming the fix. Run once the roles are defined, before any host is
     * connected to; none by default.
     */
    protected List<String> checkHosts(Map<String, List<String>> hostsByRole) {
        return List.of();
    }
}
