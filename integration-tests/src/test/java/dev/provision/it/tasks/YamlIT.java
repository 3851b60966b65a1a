package dev.provision.it.tasks;

import dev.provision.dsl.InlinePlaybook;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.Status;
import dev.provision.tasks.files.Files;
import dev.provision.tasks.yaml.Octal;
import dev.provision.tasks.yaml.YamlDocument;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import dev.provision.testkit.HostRuns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** A Synapse-style YAML config written from Java maps. */
class YamlIT {

    private static final String FILE = "/etc/matrix-synapse/conf.d/listeners.yaml";

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    @BeforeAll
    static void createTheConfigFolder() {
        host.exec("mkdir -p /etc/matrix-synapse/conf.d").requireSuccess();
    }

    private static Map<String, Object> listeners(String serverName) {
        Map<String, Object> listener = new LinkedHashMap<>();
        listener.put("path", "/run/matrix-synapse/main.sock");
        listener.put("mode", Octal.of(0660));
        listener.put("type", "http");
        listener.put("resources", List.of(Map.of("names", List.of("client", "federation"))));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("server_name", serverName);
        document.put("listeners", List.of(listener));
        return document;
    }

    /** The remote check a YAML file gets: the host has no Python, so it checks a line it must have. */
    private static Consumer<InlinePlaybook> synapse(Map<String, Object> document) {
        return p -> p.step("listeners", Files.file(FILE).content(YamlDocument.of(document)).mode(0640)
                .validate("grep -q '^server_name: [a-z]' %s"));
    }

    @Test
    void aYamlDocumentConverges() {
        host.exec("rm -f " + FILE).requireSuccess();
        Converge.inline(synapse(listeners("example.org"))).cycle(host).converges()
                .correctsDrift("sed -i 's/0660/0666/' " + FILE);

        assertThat(host.exec("cat " + FILE).stdout()).isEqualTo("""
                server_name: example.org
                listeners:
                - path: /run/matrix-synapse/main.sock
                  mode: 0660
                  type: http
                  resources:
                  - names:
                    - client
                    - federation
                """);
    }

    @Test
    void aCandidateFailingValidationLeavesTheLiveFileUntouched() {
        HostRuns converge = HostRuns.on(host);
        assertThat(converge.apply(synapse(listeners("example.org"))).failed()).isZero();
        String before = host.exec("sha256sum " + FILE + "; stat -c '%i %a' " + FILE).stdout();

        HostReport report = converge.apply(synapse(listeners("0123")));

        assertThat(HostRuns.named(report, Status.FAILED)).containsExactly("listeners");
        assertThat(report.results().get(0).message()).hasValueSatisfying(m -> assertThat(m)
                .contains("validation failed, " + FILE + " left as it was"));
        assertThat(host.exec("sha256sum " + FILE + "; stat -c '%i %a' " + FILE).stdout()).isEqualTo(before);
        assertThat(host.exec("ls -a /etc/matrix-synapse/conf.d").stdout()).doesNotContain("provision");
    }
}
