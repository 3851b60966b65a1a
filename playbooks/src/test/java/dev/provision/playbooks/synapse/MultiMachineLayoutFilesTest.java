package dev.provision.playbooks.synapse;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Three machines: a (PostgreSQL, Redis), b (main, nginx, the media worker), c (sync workers and the
 * stream writers), each rendered and compared with {@code src/test/resources/synapse/three-machines/<machine>}.
 * Regenerate with {@code mvn test -Dsynapse.updateExpected=true} and review the diff.
 */
class MultiMachineLayoutFilesTest {

    private static final Path EXPECTED = Path.of("src/test/resources/synapse/three-machines");

    static SynapseTopology threeMachines() {
        return SynapseTopology.forServer("example.com").publicHostname("matrix.example.com")
                .machine("b").databaseOn("a").redisOn("a").nginxOn("b")
                .machineAddress("a", "10.0.0.1").machineAddress("b", "10.0.0.2").machineAddress("c", "10.0.0.3")
                .workers(List.of(
                        SynapseWorker.named("mediaworker").doing(Duty.MEDIA),
                        SynapseWorker.named("initial_sync1").doing(Duty.INITIAL_SYNC).on("c"),
                        SynapseWorker.named("normal_sync1").doing(Duty.NORMAL_SYNC).on("c"),
                        SynapseWorker.named("normal_sync2").doing(Duty.NORMAL_SYNC).on("c"),
                        SynapseWorker.named("streamwriter").writing(Stream.TYPING, Stream.TO_DEVICE, Stream.ACCOUNT_DATA,
                                Stream.PRESENCE, Stream.PUSH_RULES).on("c"),
                        SynapseWorker.named("receipts").writing(Stream.RECEIPTS).on("c"),
                        SynapseWorker.named("persister").writing(Stream.EVENTS).on("c"),
                        SynapseWorker.named("federation_sender").doing(Duty.FEDERATION_SENDER).on("c"),
                        SynapseWorker.named("pusher").doing(Duty.PUSHER).on("c")))
                .build();
    }

    private static SynapseDeployment on(String machine) {
        return SynapseDeployment.of(threeMachines(), machine);
    }

    @Test
    void renderedFilesMatchTheExpectedFiles() throws IOException {
        for (String machine : List.of("a", "b", "c")) {
            Path expectedDirectory = EXPECTED.resolve(machine);
            Map<String, String> actual = snapshot(on(machine));
            if (Boolean.getBoolean("synapse.updateExpected")) {
                DefaultLayoutFilesTest.rewriteExpected(expectedDirectory, actual);
            }
            Map<String, String> expected = DefaultLayoutFilesTest.readExpected(expectedDirectory);
            assertThat(actual.keySet()).as(machine).containsExactlyInAnyOrderElementsOf(expected.keySet());
            actual.forEach((path, content) -> assertThat(content).as(machine + ":" + path).isEqualTo(expected.get(path)));
        }
    }

    /** The one-machine snapshot, routes only where nginx runs, and what only several machines have. */
    private static Map<String, String> snapshot(SynapseDeployment deployment) {
        Map<String, String> files = new TreeMap<>(DefaultLayoutFilesTest.snapshot(deployment));
        if (!deployment.machine().equals(deployment.topology().nginxMachine())) {
            files.remove("routes.txt");
        }
        StringBuilder more = new StringBuilder(files.get("manifest.txt"));
        more.append("\n# main runs here: ").append(deployment.runsMain()).append('\n');
        more.append("\n# received secrets: name from:source -> path owner:group mode prefix -> actions on change\n");
        deployment.receivedSecrets().forEach(r -> more.append(r.name()).append(" from ").append(r.fromMachine()).append(':').append(r.sourcePath())
                .append(" -> ").append(r.file().path()).append(' ').append(r.file().owner()).append(':').append(r.file().group()).append(' ')
                .append(r.file().octalMode()).append(" '").append(r.file().contentPrefix()).append("' -> ")
                .append(DefaultLayoutFilesTest.commands(r.file().onChange())).append('\n'));
        deployment.postgresServer().ifPresent(pg -> {
            more.append("\n# postgresql.conf\n");
            new TreeMap<>(pg.settings()).forEach((key, value) -> more.append(key).append(" = ").append(value).append('\n'));
            more.append("max_connections >= ").append(pg.maxConnections()).append('\n');
            more.append("\n# pg_hba.conf\n");
            pg.hbaLines().forEach(line -> more.append(line).append('\n'));
        });
        files.put("manifest.txt", more.toString());
        return files;
    }

    @SuppressWarnings("unchecked")
    private static <T> T yaml(SynapseDeployment deployment, String path, String key) {
        String content = deployment.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow().content();
        return (T) ((Map<String, Object>) new Yaml().load(content)).get(key);
    }

    private static final String WORKERS_YAML = "/etc/matrix-synapse/conf.d/workers.yaml";

    @Test
    void sharedListsAreIdenticalOnEverySynapseMachine() {
        for (String key : List.of("stream_writers", "federation_sender_instances", "pusher_instances")) {
            Object onB = yaml(on("b"), WORKERS_YAML, key);
            assertThat(onB).as(key).isNotNull();
            assertThat((Object) yaml(on("c"), WORKERS_YAML, key)).as(key).isEqualTo(onB);
        }
        Map<String, Object> instancesOnB = yaml(on("b"), WORKERS_YAML, "instance_map");
        Map<String, Object> instancesOnC = yaml(on("c"), WORKERS_YAML, "instance_map");
        assertThat(instancesOnC.keySet()).containsExactlyElementsOf(instancesOnB.keySet());
        assertThat(instancesOnB.get("main")).isEqualTo(Map.of("path", "/run/matrix-synapse/replication_main.sock"));
        assertThat(instancesOnC.get("main")).isEqualTo(Map.of("host", "10.0.0.2", "port", 9093));
        assertThat(instancesOnB.get("receipts")).isEqualTo(Map.of("host", "10.0.0.3", "port", 9106));
        assertThat(((Map<String, Object>) instancesOnB.get("receipts")).get("port")).isInstanceOf(Integer.class);
        for (SynapseDeployment deployment : List.of(on("b"), on("c"))) {
            assertThat((String) yaml(deployment, "/etc/matrix-synapse/conf.d/secrets.yaml", "signing_key_path"))
                    .isEqualTo("/etc/matrix-synapse/homeserver.signing.key");
            assertThat((String) yaml(deployment, "/etc/matrix-synapse/conf.d/secrets.yaml", "worker_replication_secret_path"))
                    .isEqualTo("/etc/matrix-synapse/secrets/worker_replication_secret");
        }
    }

    @Test
    void tcpListenersBindThePrivateAddressOnlyAndTrustNginxOnlyOnHttp() {
        List<Map<String, Object>> sync = yaml(on("c"), "/etc/matrix-synapse/workers/normal_sync1.yaml", "worker_listeners");
        assertThat(sync).singleElement().satisfies(listener -> {
            assertThat(listener).containsEntry("port", 8103).containsEntry("bind_addresses", List.of("10.0.0.3")).containsEntry("x_forwarded", true);
        });
        List<Map<String, Object>> writer = yaml(on("c"), "/etc/matrix-synapse/workers/streamwriter.yaml", "worker_listeners");
        assertThat(writer).extracting(l -> l.get("path"), l -> l.get("port"), l -> l.get("bind_addresses"), l -> l.get("x_forwarded")).containsExactly(
                org.assertj.core.groups.Tuple.tuple(null, 8105, List.of("10.0.0.3"), true),
                org.assertj.core.groups.Tuple.tuple("/run/matrix-synapse/replication_streamwriter.sock", null, null, null),
                org.assertj.core.groups.Tuple.tuple(null, 9105, List.of("10.0.0.3"), null));
        for (String machine : List.of("b", "c")) {
            on(machine).files().stream().filter(f -> f.path().endsWith(".yaml")).forEach(f -> assertThat(f.content())
                    .as(f.path()).doesNotContain("0.0.0.0").doesNotContain("'::'").doesNotContain("bind_addresses: []"));
        }
    }

    @Test
    void eachMachineRunsOnlyItsOwnProcesses() {
        assertThat(on("a").files()).extracting(RenderedFile::path)
                .containsExactly("/etc/nftables.d/matrix-synapse.nft", "/etc/systemd/system/matrix-synapse-firewall.service");
        assertThat(on("c").files()).extracting(RenderedFile::path)
                .doesNotContain("/etc/matrix-synapse/conf.d/listeners.yaml", "/etc/systemd/system/matrix-synapse.service.d/workers.conf",
                        "/etc/nginx/conf.d/matrix-synapse.conf")
                .contains("/etc/systemd/system/matrix-synapse-worker@.service", "/etc/matrix-synapse/workers/normal_sync1.yaml")
                .doesNotContain("/etc/matrix-synapse/workers/mediaworker.yaml");
        assertThat(on("c").runsMain()).isFalse();
        String templateOnC = on("c").files().stream().filter(f -> f.path().endsWith("matrix-synapse-worker@.service")).findFirst().orElseThrow().content();
        String templateOnOneMachine = DefaultLayoutFilesTest.guideDeployment().files().stream()
                .filter(f -> f.path().endsWith("matrix-synapse-worker@.service")).findFirst().orElseThrow().content();
        assertThat(templateOnC).isEqualTo(templateOnOneMachine);
        assertThatThrownBy(() -> SynapseDeployment.of(threeMachines(), "d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'d' is not a machine of this Synapse topology (b, c, a): place a process on it, or run this playbook on one of those hosts");
        assertThat(SynapseDeployment.forHost(DefaultLayoutFilesTest.guideDeployment().topology(), "anyname").machine()).isEqualTo("localhost");
    }

    @Test
    void nginxMixesSocketsAndAddressesWithTheSameStickiness() {
        String upstreams = on("b").files().stream().filter(f -> f.path().equals(NginxConfig.UPSTREAMS)).findFirst().orElseThrow().content();
        assertThat(upstreams)
                .contains("upstream synapse_normal_sync {\n    hash $synapse_sync_user consistent;\n    server 10.0.0.3:8103;\n    server 10.0.0.3:8104;\n}")
                .contains("upstream synapse_media {\n    least_conn;\n    server unix:/run/matrix-synapse/inbound_mediaworker.sock;\n}")
                .contains("upstream synapse_main {\n    server unix:/run/matrix-synapse/inbound_main.sock;\n}");
    }

    @Test
    void theDatabaseFitsEveryPoolOnEveryMachineAndAdmitsOnlySynapseMachines() {
        PostgresServer pg = on("a").postgresServer().orElseThrow();
        assertThat(pg.maxConnections()).isEqualTo(10 * 10);
        assertThat(pg.hbaLines()).containsExactly("hostssl synapse synapse 10.0.0.2/32 scram-sha-256", "hostssl synapse synapse 10.0.0.3/32 scram-sha-256");
        assertThat(pg.settings()).containsEntry("listen_addresses", "'localhost,10.0.0.1'").containsEntry("ssl", "on");
        Map<String, Object> database = yaml(on("c"), "/etc/matrix-synapse/conf.d/database.yaml", "database");
        assertThat((Map<String, Object>) database.get("args")).containsEntry("host", "10.0.0.1").containsEntry("sslmode", "require");
        assertThat(on("b").postgresServer()).isEmpty();
        assertThat(DefaultLayoutFilesTest.guideDeployment().postgresServer()).isEmpty();
    }

    @Test
    void firewallsAdmitOnlyTheMachinesThatNeedAPort() {
        assertThat(new Firewall(threeMachines(), "a").openings()).extracting(Firewall.Opening::port, o -> List.copyOf(o.from()))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(6379, List.of("b", "c")), org.assertj.core.groups.Tuple.tuple(5432, List.of("b", "c")));
        assertThat(new Firewall(threeMachines(), "b").openings()).extracting(Firewall.Opening::port, o -> List.copyOf(o.from()))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(9093, List.of("c")), org.assertj.core.groups.Tuple.tuple(9101, List.of("c")));
        assertThat(new Firewall(threeMachines(), "c").openings()).extracting(Firewall.Opening::port)
                .contains(8102, 8103, 8104, 8105, 9105, 8106, 9106, 9107).doesNotContain(8108, 8109);
        assertThat(new Firewall(DefaultLayoutFilesTest.guideDeployment().topology(), "localhost").files()).isEmpty();
    }
}
