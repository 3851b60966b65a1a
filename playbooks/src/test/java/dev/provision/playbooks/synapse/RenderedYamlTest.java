package dev.provision.playbooks.synapse;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What Synapse (PyYAML, YAML 1.1) reads from the rendered files; snakeyaml 2 resolves like PyYAML. */
class RenderedYamlTest {

    private static final SynapseDeployment GUIDE = DefaultLayoutFilesTest.guideDeployment();
    private static final SynapseDeployment ONE_STREAM_WRITER = SynapseDeployment.of(SynapseTopology.forServer("example.com")
            .workers(GuideLayout.standard().allStreamsOn("streamwriter")).build());

    private static Map<String, Object> load(SynapseDeployment deployment, String path) {
        String content = deployment.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow().content();
        return new Yaml().load(content);
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            current = ((Map<String, Object>) current).get(key);
        }
        return (T) current;
    }

    @Test
    void everyYamlFileParses() {
        assertThat(GUIDE.files()).filteredOn(f -> f.path().endsWith(".yaml"))
                .hasSize(5 + 2 * 16)
                .allSatisfy(f -> assertThat((Object) new Yaml().load(f.content())).isInstanceOf(Map.class));
    }

    @Test
    void socketModesAreOctalIntegers() {
        List<Map<String, Object>> listeners = at(load(GUIDE, "/etc/matrix-synapse/conf.d/listeners.yaml"), "listeners");
        assertThat(listeners).extracting(l -> l.get("mode")).containsExactly(0660, 0600);
        assertThat(listeners.get(0).get("mode")).isEqualTo(432);

        List<Map<String, Object>> worker = at(load(GUIDE, "/etc/matrix-synapse/workers/typing.yaml"), "worker_listeners");
        assertThat(worker).extracting(l -> l.get("mode")).containsExactly(432, 384);
    }

    @Test
    void instanceMapHasMainAndEveryStreamWriterWithPlainPaths() {
        Map<String, Object> shared = load(GUIDE, "/etc/matrix-synapse/conf.d/workers.yaml");
        Map<String, Map<String, Object>> instances = at(shared, "instance_map");
        assertThat(instances).containsKeys("main", "push_rules", "typing", "todevice", "accountdata", "presence", "receipts", "mediaworker");
        assertThat(instances.get("main")).containsExactly(Map.entry("path", "/run/matrix-synapse/replication_main.sock"));
        assertThat(instances.values()).allSatisfy(entry -> assertThat((String) entry.get("path")).startsWith("/run/matrix-synapse/replication_"));

        Map<String, List<String>> writers = at(shared, "stream_writers");
        assertThat(writers.values().stream().flatMap(List::stream)).allSatisfy(writer -> assertThat(instances).containsKey(writer));
        assertThat(writers).doesNotContainKey("events").containsEntry("quarantined_media_changes", List.of("mediaworker"));
    }

    @Test
    void everyInstanceMapEntryIsAWorkersReplicationListener() {
        Map<String, Map<String, Object>> instances = at(load(GUIDE, "/etc/matrix-synapse/conf.d/workers.yaml"), "instance_map");
        instances.forEach((name, entry) -> {
            if (!name.equals("main")) {
                List<Map<String, Object>> listeners = at(load(GUIDE, "/etc/matrix-synapse/workers/" + name + ".yaml"), "worker_listeners");
                assertThat(listeners).anySatisfy(listener -> {
                    assertThat(listener.get("path")).isEqualTo(entry.get("path"));
                    assertThat(listener.get("resources")).isEqualTo(List.of(Map.of("names", List.of("replication"))));
                });
            }
        });
    }

    @Test
    void sharedDutiesNameTheirWorkers() {
        Map<String, Object> shared = load(GUIDE, "/etc/matrix-synapse/conf.d/workers.yaml");
        assertThat(shared)
                .containsEntry("federation_sender_instances", List.of("federation_sender"))
                .containsEntry("pusher_instances", List.of("pusher"))
                .containsEntry("update_user_directory_from_worker", "userdir")
                .containsEntry("enable_media_repo", false)
                .containsEntry("media_instance_running_background_jobs", "mediaworker");
    }

    @Test
    void oneStreamWriterWritesEveryStream() {
        Map<String, Object> shared = load(ONE_STREAM_WRITER, "/etc/matrix-synapse/conf.d/workers.yaml");
        assertThat((Object) at(shared, "instance_map", "streamwriter", "path")).isEqualTo("/run/matrix-synapse/replication_streamwriter.sock");
        Map<String, List<String>> writers = at(shared, "stream_writers");
        assertThat(writers).containsOnlyKeys("typing", "to_device", "account_data", "receipts", "presence", "push_rules", "quarantined_media_changes");
        writers.forEach((stream, names) -> assertThat(names).containsExactly(stream.equals("quarantined_media_changes") ? "mediaworker" : "streamwriter"));
        assertThat(ONE_STREAM_WRITER.topology().workers()).extracting(SynapseWorker::name).doesNotContain("typing", "push_rules");
    }

    @Test
    void mediaWorkerUsesTheMediaAppAndTheDatabaseReadsItsPasswordFromAFile() {
        Map<String, Object> media = load(GUIDE, "/etc/matrix-synapse/workers/mediaworker.yaml");
        assertThat(media).containsEntry("worker_app", "synapse.app.media_repository").containsEntry("worker_name", "mediaworker")
                .containsEntry("worker_log_config", "/etc/matrix-synapse/logconf.d/mediaworker.yaml");
        Map<String, Object> args = at(load(GUIDE, "/etc/matrix-synapse/conf.d/database.yaml"), "database", "args");
        assertThat(args).containsEntry("passfile", "/etc/matrix-synapse/secrets/pgpass").doesNotContainKey("password")
                .containsEntry("host", "127.0.0.1").containsEntry("port", 5432);
    }

    @Test
    void workerLogsGoToTheirOwnFileThroughRootOnly() {
        Map<String, Object> log = load(GUIDE, "/etc/matrix-synapse/logconf.d/normal_sync2.yaml");
        assertThat((Object) at(log, "handlers", "file", "filename")).isEqualTo("/var/log/matrix-synapse/normal_sync2.log");
        Map<String, Map<String, Object>> loggers = at(log, "loggers");
        assertThat(loggers.values()).allSatisfy(logger -> assertThat(logger).containsOnlyKeys("level"));
        assertThat((Object) at(log, "root", "handlers")).isEqualTo(List.of("buffer"));
    }

    @Test
    void aMonolithHasNoWorkerKeysAndNoReplicationListener() {
        SynapseDeployment monolith = SynapseDeployment.of(SynapseTopology.forServer("example.com").withoutWorkers().withoutRedis().build());
        assertThat(monolith.files()).extracting(RenderedFile::path)
                .doesNotContain("/etc/matrix-synapse/conf.d/workers.yaml", "/etc/matrix-synapse/conf.d/redis.yaml");
        List<Map<String, Object>> listeners = at(load(monolith, "/etc/matrix-synapse/conf.d/listeners.yaml"), "listeners");
        assertThat(listeners).extracting(l -> l.get("path")).containsExactly("/run/matrix-synapse/inbound_main.sock");
        assertThat(monolith.redisSettings()).isEmpty();
    }

    @Test
    void theWorkerTemplateRunsThePackagesPython() {
        SynapseDeployment debian = SynapseDeployment.of(SynapseTopology.forServer("example.com").packagedBy(PackageSource.DEBIAN).build());
        assertThat(debian.files()).filteredOn(f -> f.path().endsWith("matrix-synapse-worker@.service")).singleElement()
                .satisfies(unit -> assertThat(unit.content()).contains("ExecStart=/usr/bin/python3 -m synapse.app.generic_worker "));
    }
}
