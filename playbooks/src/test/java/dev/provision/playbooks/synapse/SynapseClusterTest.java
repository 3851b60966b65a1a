package dev.provision.playbooks.synapse;

import dev.provision.dsl.Host;
import dev.provision.dsl.Product;
import dev.provision.dsl.Received;
import dev.provision.dsl.engine.Definition;
import dev.provision.dsl.engine.Definition.StepEntry;
import dev.provision.dsl.engine.DeploymentDefinition;
import dev.provision.dsl.engine.DeploymentDefinition.RoleEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The deployment SynapseCluster declares for the three machines of {@link MultiMachineLayoutFilesTest}, and what each stage does where. */
class SynapseClusterTest {

    static final class ThreeMachines extends SynapseCluster {
        ThreeMachines() {
            super(MultiMachineLayoutFilesTest.threeMachines(), RedisClientPolicy.require());
        }
    }

    private static final Map<String, List<String>> ROLES = Map.of("database", List.of("a"), "redis", List.of("a"),
            "install", List.of("b", "c"), "main", List.of("b"), "workers", List.of("b", "c"), "edge", List.of("b"));

    private final DeploymentDefinition deployment = new ThreeMachines().definition();

    @TempDir
    static Path keys;
    private static Path matrixOrgKey;

    @BeforeAll
    static void aSigningKeyForPackagesMatrixOrg() throws IOException {
        matrixOrgKey = java.nio.file.Files.write(keys.resolve("matrix-org.gpg"), new byte[]{1, 2, 3});
    }

    @Test
    void theStagesRunInTheGuidesOrderAndTheWorkersOneMachineAtATime() {
        assertThat(deployment.roles().stream().map(RoleEntry::name)).containsExactly("database", "redis", "install", "main", "workers", "edge");
        assertThat(deployment.before("workers")).contains("main", "install", "redis", "database");
        RoleEntry workers = deployment.role("workers");
        assertThat(workers.rollout().batch().orElseThrow().count()).isEqualTo(1);
        assertThat(workers.rollout().tolerated().orElseThrow()).hasToString("50%");
    }

    @Test
    void eachSecretIsMadeWhereItsOwnerRunsAndTravelsOnlyAsAProduct() {
        Map<String, String> makers = new LinkedHashMap<>();
        deployment.roles().forEach(role -> role.products().forEach(product -> makers.put(product.name(), role.name())));
        assertThat(makers).isEqualTo(Map.of(
                "synapse version", "install", "received signing key fingerprint", "install",
                "database password", "database", "redis password", "redis",
                "signing key", "main", "registration shared secret", "main", "macaroon secret key", "main",
                "form secret", "main", "worker replication secret", "main"));
    }

    @Test
    void theInventoryMustGiveEachRoleTheTopologysMachines() {
        assertThat(deployment.hostCheck().problems(ROLES)).isEmpty();

        Map<String, List<String>> wrong = new LinkedHashMap<>(ROLES);
        wrong.put("install", List.of("b"));
        wrong.put("main", List.of("c"));
        assertThat(deployment.hostCheck().problems(wrong)).containsExactly(
                "role install is given b, but the topology has it on b, c",
                "role main is given c, but the topology has it on b",
                "give the roles the topology's machines: roles: { database: [a], redis: [a], install: [b, c], main: [b], workers: [b, c], edge: [b] }");
    }

    @Test
    void anInvalidTopologyStopsTheDeploymentWhenItsClassIsMade() {
        class NoMachineForC extends SynapseCluster {
            NoMachineForC() {
                super(SynapseTopology.forServer("example.com").machine("b").machineAddress("b", "10.0.0.2")
                        .workers(List.of(SynapseWorker.named("normal_sync1").doing(Duty.NORMAL_SYNC).on("c"))).build(), RedisClientPolicy.require());
            }
        }
        assertThatThrownBy(NoMachineForC::new).isInstanceOf(InvalidTopologyException.class).hasMessageContaining("c");
    }

    @Test
    void postgresAndRedisMachineOpensItsPortsBehindTheFirewallFirst() {
        List<String> database = steps("database", "a");
        assertThat(database).startsWith("nftables is installed",
                "the firewall's table admits Synapse's ports only from the machines that need them",
                "the firewall is loaded, now and at boot",
                "redis-server, postgresql are installed");
        assertThat(database).containsSubsequence(
                "PostgreSQL listens on 'localhost,10.0.0.1' with TLS, and admits only the deployment's Synapse machines (scram-sha-256 over TLS)",
                "the database password is generated on the host",
                "PostgreSQL role synapse has that password");
        assertThat(steps("redis", "a")).containsExactly("Redis's password is generated on its machine",
                "the redis password is copied on this machine to /etc/redis/matrix-synapse-auth.conf",
                "Redis listens on its UNIX socket, and with its password on 127.0.0.1 -::1 10.0.0.1",
                "Redis runs with these settings");
    }

    @Test
    void aWorkerMachineNeverRunsMainAndTakesMainsKeyAndSecretsAsReceived() {
        List<String> install = steps("install", "c");
        assertThat(install).contains("the package's main Synapse stays stopped and disabled: main runs on b",
                "workers placed on another machine or removed are stopped here first, so no worker ever runs twice");
        assertThat(install).noneMatch(step -> step.contains("taken over"));
        List<String> workers = steps("workers", "c");
        assertThat(workers).containsSubsequence(
                "the signing key received from b is in /etc/matrix-synapse/homeserver.signing.key",
                "the received signing key's fingerprint is kept beside it",
                "the database password received from a is in /etc/matrix-synapse/secrets/database_password",
                "the database passfile is written on the host from the database password",
                "systemd has read the changed units",
                "the target starts Synapse and every worker at boot",
                "worker pusher runs");
        assertThat(workers).noneMatch(step -> step.startsWith("main ") || step.startsWith("nginx"));
    }

    @Test
    void mainChecksVersionsAndItsKeyBeforeItRestartsAndIsHealthyBeforeAnyWorker() {
        assertThat(steps("main", "b")).containsSubsequence(
                "every Synapse machine has the version main's has",
                "main's signing key is the one every other machine received before",
                "Synapse's secrets are on the host in their files: moved there from homeserver.yaml with the same values, else generated",
                "main runs and starts at boot",
                "main answers /health before any worker starts (its schema is migrated)");
        assertThat(steps("main", "b")).noneMatch(step -> step.startsWith("worker ") || step.startsWith("nginx"));
        assertThat(steps("edge", "b")).containsExactly(
                "nginx serves matrix.example.com and sends each endpoint group to its workers", "nginx runs and starts at boot");
    }

    /** The role's playbook on {@code machine}, defined as the engine does before any host is touched: every received value pending. */
    private List<String> steps(String role, String machine) {
        Map<String, Map<String, Received<?>>> received = new LinkedHashMap<>();
        for (String before : deployment.before(role)) {
            for (Product<?> product : deployment.role(before).products()) {
                Map<String, Received<?>> each = new LinkedHashMap<>();
                ROLES.get(before).forEach(host -> each.put(host, Received.pending(product.name(), host)));
                received.put(product.name(), each);
            }
        }
        Map<String, Object> vars = Map.of("matrix_org_key_file", matrixOrgKey.toString());
        Definition definition = deployment.role(role).playbook().get().definition(new Host(machine, vars, received));
        return definition.steps().stream().map(StepEntry::name).toList();
    }
}
