package dev.provision.playbooks.synapse;

import dev.provision.dsl.engine.Definition;
import dev.provision.dsl.engine.Definition.StepEntry;
import dev.provision.dsl.Handler;
import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What SynapseServer declares for a host, before any host is touched. */
class SynapseServerTest {

    private static final Map<String, Object> DEMO = Map.of("server_name", "demo.local", "package_source", "debian", "redis_client", "stage_workers");

    private static Definition define(Playbook playbook, Map<String, Object> vars) {
        return playbook.definition(new Host("synapse", vars));
    }

    private static List<String> steps(Definition definition) {
        return definition.steps().stream().map(StepEntry::name).toList();
    }

    @Test
    void theDemoVariablesAloneDefineTheGuideInItsOrder() {
        Definition definition = define(new SynapseServer(), DEMO);

        assertThat(steps(definition)).startsWith(
                "a Synapse already here can be taken over as it is (server_name, package, database, nginx site)",
                "what the playbook may replace is backed up before its first change",
                "Synapse's install questions are answered (server name, usage statistics)",
                "redis-server, postgresql, nginx, matrix-synapse are installed",
                "the package's Synapse stays stopped until it is configured",
                "Redis listens on its UNIX socket only",
                "Redis runs with these settings",
                "the group matrix-synapse exists");
        assertThat(steps(definition)).containsSubsequence(
                "PostgreSQL is tuned for this host and accepts 190 connections (17 Synapse processes x cp_max 10, and spare)",
                "database synapse exists with C collation",
                "the database passfile is written on the host from the database password",
                "a SQLite database with data moves to PostgreSQL (synapse_port_db), when allowed",
                "Synapse's secrets are on the host in their files: moved there from homeserver.yaml with the same values, else generated",
                "Synapse's shared configuration (conf.d): PostgreSQL, Redis, secrets, workers, and main's listeners on UNIX sockets"
                        + " replacing Debian's 8448 and 8008",
                "systemd has read the changed units",
                "the target starts Synapse and every worker at boot",
                "worker normal_sync3 runs",
                "nginx runs and starts at boot");
        assertThat(steps(definition)).noneMatch(name -> name.contains("txredisapi") && name.contains("installed"));
    }

    @Test
    void handlersRunInDependencyOrderAndEachWorkerHasItsOwn() {
        List<String> handlers = define(new SynapseServer(), DEMO).handlers().stream().map(Handler::name).toList();

        assertThat(handlers.get(0)).isEqualTo("restart Synapse processes older than their configuration");
        assertThat(handlers.get(1)).isEqualTo("restart main if older than its configuration");
        assertThat(handlers).contains("restart worker login if older than its configuration",
                "reload worker login (log configuration) if older than it");
        assertThat(handlers.get(handlers.size() - 1)).isEqualTo("reload nginx");
        assertThat(handlers).hasSize(1 + 1 + 16 + 16 + 1);
    }

    @Test
    void aWorkerFileNotifiesItsWorkersRestartAndNotTheWholeTarget() {
        Definition definition = define(new SynapseServer(), DEMO);
        StepEntry workers = definition.steps().stream().filter(step -> step.name().startsWith("every worker has its configuration")).findFirst().orElseThrow();

        assertThat(workers.notifies()).extracting(Handler::name).hasSize(16).allMatch(name -> name.startsWith("restart worker "));
    }

    @Test
    void stagedWorkersStartOnlyWhenTheClientIsThere() {
        Definition definition = define(new SynapseServer(), DEMO);

        assertThat(definition.steps()).filteredOn(step -> step.name().startsWith("worker ")).hasSize(16)
                .allMatch(step -> step.condition().isPresent());
    }

    @Test
    void requireFailsInAStepBeforeAnythingThatRestartsSynapse() {
        Map<String, Object> vars = new HashMap<>(DEMO);
        vars.remove("redis_client");
        List<StepEntry> steps = define(new SynapseServer(), vars).steps();

        int check = steps.stream().map(StepEntry::name).toList().indexOf("Synapse can use Redis (txredisapi is installed)");
        assertThat(check).isEqualTo(5);
        assertThat(steps.subList(0, check)).allMatch(step -> step.notifies().isEmpty());
    }

    @Test
    void installFromReadsTheCheckoutWhenDefined(@TempDir Path checkout) throws IOException {
        Files.writeString(checkout.resolve("setup.py"), "setuptools.setup(\n    name=\"txredisapi\",\n    version=\"1.4.11\",\n)\n");
        Files.writeString(checkout.resolve("txredisapi.py"), "import six\n");

        List<String> steps = steps(define(new SynapseServer(), Map.of("server_name", "demo.local", "package_source", "debian",
                "txredisapi_source", checkout.toString())));

        assertThat(steps).containsSubsequence("redis-server, postgresql, nginx, matrix-synapse are installed",
                "txredisapi's dependencies are installed (six, hiredis)",
                "txredisapi 1.4.11 is installed from " + checkout,
                "Redis listens on its UNIX socket only");
    }

    @Test
    void aMissingCheckoutStopsTheRunBeforeTheHost(@TempDir Path empty) {
        assertThatThrownBy(() -> define(new SynapseServer(), Map.of("server_name", "demo.local", "package_source", "debian",
                "txredisapi_source", empty.resolve("nowhere").toString())))
                .hasMessageContaining("is not a txredisapi checkout: it needs txredisapi.py and setup.py");
    }

    @Test
    void anOldTxredisapiIsRejected(@TempDir Path checkout) throws IOException {
        Files.writeString(checkout.resolve("setup.py"), "setup(version='1.4.6')\n");
        Files.writeString(checkout.resolve("txredisapi.py"), "");

        assertThatThrownBy(() -> TxRedisApiCheckout.read(checkout)).hasMessageContaining("older than 1.4.7");
    }

    @Test
    void anInvalidTopologyIsRejectedWithAllItsProblems() {
        class Broken extends SynapseServer {
            Broken() {
                super(SynapseTopology.forServer("example.com").packagedBy(PackageSource.DEBIAN)
                        .workers(List.of(SynapseWorker.named("main").doing(Duty.LOGIN))).build(), RedisClientPolicy.stageWorkers());
            }
        }
        assertThatThrownBy(() -> define(new Broken(), Map.of())).isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("'main' is reserved");
    }

    @Test
    void aTopologyOnSeveralMachinesIsRefusedRatherThanHalfApplied() {
        class Spread extends SynapseServer {
            Spread() {
                super(MultiMachineLayoutFilesTest.threeMachines(), RedisClientPolicy.require());
            }
        }
        assertThatThrownBy(() -> define(new Spread(), Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the Synapse topology spans machines b, c, a, but SynapseServer installs everything on one host:"
                        + " deploy it with a SynapseCluster (see SYNAPSE.md), or place every process on one machine");
    }

    @Test
    void aServerClassNeedsNoHostVariables() {
        class ExampleChat extends SynapseServer {
            ExampleChat() {
                super(SynapseTopology.forServer("example.com").publicHostname("matrix.example.com").packagedBy(PackageSource.DEBIAN)
                        .workers(GuideLayout.standard().initialSyncWorkers(1).normalSyncWorkers(1)).build(), RedisClientPolicy.stageWorkers());
            }
        }
        List<String> steps = steps(define(new ExampleChat(), Map.of()));

        assertThat(steps).contains("worker initial_sync1 runs", "worker normal_sync1 runs", "nginx serves matrix.example.com and sends each endpoint group to its workers")
                .doesNotContain("worker normal_sync2 runs");
    }

    @Test
    void theMatrixOrgSourceNeedsItsSigningKey() {
        assertThatThrownBy(() -> define(new SynapseServer(), Map.of("server_name", "example.com")))
                .hasMessageContaining("matrix_org_key_file");
    }

    @Test
    void unknownChoicesAreNamed() {
        assertThatThrownBy(() -> define(new SynapseServer(), Map.of("server_name", "x", "package_source", "ubuntu")))
                .hasMessageContaining("package_source is 'ubuntu': use matrix_org or debian");
        assertThatThrownBy(() -> define(new SynapseServer(), Map.of("server_name", "x", "package_source", "debian", "redis_client", "pip")))
                .hasMessageContaining("use require, install (with txredisapi_source) or stage_workers");
    }
}
