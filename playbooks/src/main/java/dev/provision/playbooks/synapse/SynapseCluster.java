package dev.provision.playbooks.synapse;

import dev.provision.dsl.Deployment;
import dev.provision.dsl.Product;
import dev.provision.dsl.Role;
import dev.provision.dsl.Secret;
import dev.provision.task.Fact;
import dev.provision.tasks.files.Files;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Synapse with its workers on several machines: the one {@link SynapseTopology}, each machine getting
 * its part of it ({@link SynapseDeployment#of(SynapseTopology, String)}), rolled out in {@link Stage}s
 * that are the deployment's roles: {@code database}, {@code redis}, {@code install}, {@code main},
 * {@code workers} (one machine at a time) and {@code edge}. The inventory gives each role the
 * machines the topology puts there, by the same names:
 *
 * <pre>{@code
 * public final class ExampleChat extends SynapseCluster {
 *     public ExampleChat() {
 *         super(SynapseTopology.forServer("example.com").machine("b").databaseOn("a").redisOn("a").nginxOn("b")
 *                 .machineAddress("a", "10.0.0.1").machineAddress("b", "10.0.0.2").machineAddress("c", "10.0.0.3")
 *                 .workers(...).build(), RedisClientPolicy.require());
 *     }
 * }
 * }</pre>
 *
 * <pre>
 * deployments:
 *   chat:
 *     class: com.example.ExampleChat
 *     roles: { database: a, redis: a, install: [b, c], main: b, workers: [b, c], edge: b }
 * </pre>
 *
 * The topology is validated when the class is made, before any host is touched. Secrets are made
 * once, where their owner runs (the database password on PostgreSQL's machine, Redis's on Redis's,
 * the signing key and Synapse's secrets on main's), and travel to the other machines through the
 * controller's memory only. Before main restarts, every Synapse machine's installed version is
 * compared, and a difference stops the run.
 */
public class SynapseCluster extends Deployment {

    /** The products machines hand to later stages. */
    record Handover(Product<String> version, Product<String> keyFingerprint, Map<String, Product<Secret>> secrets) {
    }

    private final SynapseTopology topology;
    private final RedisClientPolicy redisClient;
    private Handover handover;

    protected SynapseCluster(SynapseTopology topology, RedisClientPolicy redisClient) {
        this.topology = topology.requireValid();
        this.redisClient = redisClient;
    }

    @Override
    protected void define() {
        Map<Stage, Role> roles = new EnumMap<>(Stage.class);
        Role previous = null;
        for (Stage stage : Stage.of(topology)) {
            Role role = role(stage.role(), () -> new SynapseServer(topology, redisClient, stage, handover));
            if (previous != null) {
                role.after(previous);
            }
            if (stage == Stage.WORKERS) {
                // a machine that fails stops the rolling restart; nginx still comes up when no more than half failed
                role.serial(1).maxFailPercent(50);
            }
            roles.put(stage, role);
            previous = role;
        }
        Product<String> version = roles.get(Stage.INSTALL).produces("synapse version", installedVersion(topology.packageSource()));
        Product<String> fingerprint = roles.get(Stage.INSTALL).produces("received signing key fingerprint", SameSigningKey.receivedFingerprint());
        Map<String, Product<Secret>> secrets = new LinkedHashMap<>();
        for (ReceivedSecret secret : handedOver(topology)) {
            secrets.computeIfAbsent(secret.name(), name -> roles.get(maker(topology, secret)).produces(name, Files.secretAt(secret.sourcePath())));
        }
        handover = new Handover(version, fingerprint, Map.copyOf(secrets));
    }

    /** Every role must have exactly the machines the topology puts in it, and nothing else. */
    @Override
    protected List<String> checkHosts(Map<String, List<String>> hostsByRole) {
        List<String> problems = new ArrayList<>();
        Set<String> hosts = new LinkedHashSet<>();
        hostsByRole.values().forEach(hosts::addAll);
        topology.validateAgainstInventory(hosts).forEach(problem -> problems.add(problem.toString()));
        List<String> lines = new ArrayList<>();
        boolean mismatch = false;
        for (Stage stage : Stage.of(topology)) {
            List<String> wanted = stage.machines(topology);
            lines.add(stage.role() + ": [" + String.join(", ", wanted) + "]");
            List<String> given = hostsByRole.getOrDefault(stage.role(), List.of());
            if (!Set.copyOf(given).equals(Set.copyOf(wanted))) {
                mismatch = true;
                problems.add("role " + stage.role() + " is given " + (given.isEmpty() ? "no host" : String.join(", ", given))
                        + ", but the topology has it on " + String.join(", ", wanted));
            }
        }
        if (mismatch) {
            problems.add("give the roles the topology's machines: roles: { " + String.join(", ", lines) + " }");
        }
        return problems;
    }

    /** The secrets some machine receives from another, each once, by name. */
    static List<ReceivedSecret> handedOver(SynapseTopology topology) {
        Map<String, ReceivedSecret> byName = new LinkedHashMap<>();
        for (String machine : topology.machines()) {
            for (ReceivedSecret secret : SynapseDeployment.of(topology, machine).receivedSecrets()) {
                if (!secret.fromMachine().equals(machine)) {
                    byName.putIfAbsent(secret.name(), secret);
                }
            }
        }
        return List.copyOf(byName.values());
    }

    /** The stage after which {@code secret} exists on its machine. */
    static Stage maker(SynapseTopology topology, ReceivedSecret secret) {
        if (secret.sourcePath().equals(SynapseDeployment.DATABASE_PASSWORD_FILE)) {
            return Stage.DATABASE;
        }
        return secret.sourcePath().equals(SynapseDeployment.REDIS_PASSWORD_FILE) ? Stage.REDIS : Stage.MAIN;
    }

    /** The Synapse package's version as dpkg has it installed; empty when it is not. */
    static Fact<Optional<String>> installedVersion(PackageSource source) {
        return Fact.of("dpkg-query -W -f '${db:Status-Abbrev}\\t${Version}\\n' " + source.packageName() + " 2>/dev/null || true", result ->
                result.stdout().lines().filter(line -> line.startsWith("ii")).map(line -> line.substring(line.indexOf('\t') + 1).strip())
                        .findFirst());
    }
}
