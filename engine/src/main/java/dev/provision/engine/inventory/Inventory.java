package dev.provision.engine.inventory;

import dev.provision.dsl.Host;
import dev.provision.dsl.engine.DeploymentDefinition;
import dev.provision.engine.DeploymentTarget;
import dev.provision.engine.HostTarget;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The hosts provision knows, read from a YAML file:
 *
 * <pre>{@code
 * all:
 *   vars: { ntp_server: pool.ntp.org }          # every host
 *   user: root                                  # settings may be given at any level too
 *   hosts:
 *     matrix.example.com:
 *       address: 203.0.113.10
 *       playbook: dev.provision.playbooks.synapse.SynapseServer
 *       vars:
 *         server_name: example.com
 *         registration_shared_secret: s3cr3t    # secret by its name
 *         admin_contact: !secret ops@example.com # secret by its tag
 *   groups:
 *     web:
 *       playbook: com.example.WebServer
 *       hosts: { web1: { address: 10.0.0.5 } }
 *       groups:                                 # groups nest
 *         canary: { hosts: { web2: } }
 * }</pre>
 *
 * <ul>
 * <li>{@code all} is the root group. A group has {@code hosts}, child {@code groups}, {@code vars} and
 *     settings; a host has {@code vars} and settings. Any other key is an error.</li>
 * <li>Settings: {@code address} (hosts only; default the host's name), {@code port}, {@code user},
 *     {@code connection} ({@code ssh}, the default, or {@code local}: this machine's shell, for which only
 *     {@code become} and {@code become_password} matter), {@code identity_file} and {@code known_hosts}
 *     (a path or a list; {@code ~} is the home folder, relative paths start at the inventory's folder),
 *     {@code password} and {@code become_password} (always secret), {@code become} (sudo to root) and
 *     {@code playbook} (the class of the host's playbook, created with its no-argument constructor).</li>
 * <li>Precedence, for settings and for each variable (not merged deeper): the host's own value, else
 *     the innermost group's that sets it, down to {@code all}. A host may be listed under several groups;
 *     two of them that set a key differently, neither inside the other, are an error: set it on the host.
 *     A host listed twice may give each key only once.</li>
 * <li>Secrets: string variables whose name has the word password, passphrase, secret or token, and
 *     any value tagged {@code !secret}, become {@link dev.provision.dsl.Secret}s and are masked in all output.</li>
 * <li>For {@code ssh} hosts, what the inventory leaves out comes from {@code ~/.ssh/config}
 *     (HostName, User, Port, IdentityFile), looked up as {@code ssh ADDRESS} would; then port 22 and the
 *     local user name.</li>
 * <li>Host and group names share one namespace. Patterns select hosts by host name, group name,
 *     {@code all}, or a glob over those ({@code web*}); several may be given comma-separated.</li>
 * </ul>
 */
public final class Inventory {

    private final Path file;
    private final List<InventoryHost> hosts;
    private final List<InventoryDeployment> deployments;

    Inventory(Path file, List<InventoryHost> hosts, List<InventoryDeployment> deployments) {
        this.file = file;
        this.hosts = List.copyOf(hosts);
        this.deployments = List.copyOf(deployments);
    }

    /** Reads {@code file}, filling in from {@code ~/.ssh/config}. */
    public static Inventory load(Path file) {
        return load(file, SshConfig.ofUser());
    }

    public static Inventory load(Path file, SshConfig sshConfig) {
        return new InventoryReader(file, sshConfig).read();
    }

    public Path file() {
        return file;
    }

    /** Every host, in the order the file first lists them. */
    public List<InventoryHost> hosts() {
        return hosts;
    }

    /** The deployments, in file order (see {@link InventoryDeployment}). */
    public List<InventoryDeployment> deployments() {
        return deployments;
    }

    public Optional<InventoryDeployment> deployment(String name) {
        return deployments.stream().filter(deployment -> deployment.name().equals(name)).findFirst();
    }

    public InventoryHost host(String name) {
        return hosts.stream().filter(host -> host.name().equals(name)).findFirst()
                .orElseThrow(() -> new InventoryException("no host " + name + " in inventory " + file));
    }

    /**
     * The hosts that match any of the patterns, in inventory order.
     *
     * @throws InventoryException when a pattern matches no host
     */
    public List<InventoryHost> select(List<String> patterns) {
        Set<String> chosen = new LinkedHashSet<>();
        List<String> each = patterns.stream().flatMap(p -> Stream.of(p.split(","))).map(String::strip).filter(p -> !p.isEmpty()).toList();
        for (String pattern : each) {
            List<String> matched = hosts.stream().filter(host -> matches(pattern, host)).map(InventoryHost::name).toList();
            if (matched.isEmpty()) {
                throw new InventoryException("no host matches '" + pattern + "' in inventory " + file + "; known hosts: "
                        + String.join(", ", hosts.stream().map(InventoryHost::name).toList()) + groupsHint());
            }
            chosen.addAll(matched);
        }
        return hosts.stream().filter(host -> chosen.contains(host.name())).toList();
    }

    /** The hosts {@link #select} picks, ready to run. */
    public List<HostTarget> targets(List<String> patterns) {
        return select(patterns).stream().map(this::target).toList();
    }

    /**
     * A host ready to run: its playbook class is found and checked now, so a typo fails before any host is touched.
     *
     * @throws InventoryException when the host has no playbook or its class cannot be used
     */
    public HostTarget target(InventoryHost host) {
        return target(host, PlaybookLoader.CLASSPATH);
    }

    /** Like {@link #target(InventoryHost)}, with the playbook class found by {@code playbooks}. */
    public HostTarget target(InventoryHost host, PlaybookLoader playbooks) {
        InventoryHost.PlaybookName playbook = host.playbook().orElseThrow(() -> new InventoryException("host " + host.name()
                + " has no playbook: set `playbook: CLASS` on the host or one of its groups in " + file));
        return new HostTarget(new Host(host.name(), host.vars()), host.connection(),
                PlaybookClasses.supplier(playbook.className(), host.name(), playbook.definedAt(), playbooks));
    }

    /**
     * A deployment ready to run: its class found, its roles declared and checked against the inventory's,
     * every role's hosts with the role's playbook. A deployment that rejects itself fails here, before
     * any host is touched.
     *
     * @throws InventoryException when the class cannot be used, or its roles and the inventory's differ
     */
    public DeploymentTarget deploymentTarget(InventoryDeployment deployment, PlaybookLoader playbooks) {
        DeploymentDefinition definition;
        try {
            definition = PlaybookClasses.deployment(deployment, playbooks).get().definition();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InventoryException("deployment " + deployment.name() + " (" + deployment.className() + "): " + e.getMessage());
        }
        Set<String> declared = new LinkedHashSet<>(definition.roles().stream().map(DeploymentDefinition.RoleEntry::name).toList());
        Set<String> given = deployment.hostsByRole().keySet();
        if (!declared.equals(given)) {
            throw new InventoryException(deployment.definedAt() + ": deployment " + deployment.name() + " declares the roles "
                    + String.join(", ", declared) + ", and the inventory gives hosts for " + String.join(", ", given)
                    + ": give every declared role its hosts under `roles:`, and no other role");
        }
        List<String> problems = definition.hostCheck().problems(deployment.hostsByRole());
        if (!problems.isEmpty()) {
            throw new InventoryException(deployment.definedAt() + ": deployment " + deployment.name() + " cannot run on these hosts:\n- "
                    + String.join("\n- ", problems));
        }
        Map<String, List<HostTarget>> hostsByRole = new LinkedHashMap<>();
        for (DeploymentDefinition.RoleEntry role : definition.roles()) {
            hostsByRole.put(role.name(), deployment.hostsByRole().get(role.name()).stream().map(this::host)
                    .map(host -> new HostTarget(new Host(host.name(), host.vars()), host.connection(), role.playbook())).toList());
        }
        return new DeploymentTarget(deployment.name(), definition, hostsByRole, Set.copyOf(deployment.hosts()));
    }

    private static boolean matches(String pattern, InventoryHost host) {
        return pattern.equals("all") || Glob.matches(pattern, host.name()) || host.groups().stream().anyMatch(group -> Glob.matches(pattern, group));
    }

    private String groupsHint() {
        List<String> groups = hosts.stream().flatMap(host -> host.groups().stream()).distinct().toList();
        return groups.isEmpty() ? "" : "; groups: " + String.join(", ", groups);
    }
}
