package dev.provision.tasks.yaml;

import dev.provision.dsl.Secret;
import dev.provision.tasks.files.ContentException;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YamlWriterTest {

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void writesBlockStyleInInsertionOrder() {
        Map<String, Object> listener = ordered("path", "/run/synapse/main.sock", "type", "http", "resources",
                List.of(ordered("names", List.of("client", "federation"), "compress", false)));

        String yaml = YamlWriter.write(ordered("server_name", "example.org", "listeners", List.of(listener)));

        assertThat(yaml).isEqualTo("""
                server_name: example.org
                listeners:
                - path: /run/synapse/main.sock
                  type: http
                  resources:
                  - names:
                    - client
                    - federation
                    compress: false
                """);
    }

    @Test
    void anOctalIsAPlainOctalLiteralThatReadsAs432() {
        String yaml = YamlWriter.write(ordered("path", "/run/synapse/replication.sock", "mode", Octal.of(0660)));

        assertThat(yaml).isEqualTo("path: /run/synapse/replication.sock\nmode: 0660\n");
        Map<String, Object> read = new Yaml().load(yaml);
        assertThat(read.get("mode")).isEqualTo(432);
    }

    @Test
    void stringsThatLookLikeOtherTypesAreQuotedAndOthersAreNot() {
        Map<String, Object> values = ordered("octal", "0660", "number", "5432", "float", "1.5", "yes", "yes", "on", "on",
                "null", "null", "tilde", "~", "empty", "", "date", "2024-01-01", "sexagesimal", "12:30", "equals", "=",
                "colon", "a: b", "hash", "#x", "plain", "hello world", "version", "v1.2");

        String yaml = YamlWriter.write(values);

        assertThat(yaml).contains("octal: '0660'\n", "number: '5432'\n", "float: '1.5'\n", "'yes': 'yes'\n", "'on': 'on'\n",
                "'null': 'null'\n", "tilde: '~'\n", "empty: ''\n", "date: '2024-01-01'\n", "sexagesimal: '12:30'\n",
                "equals: '='\n", "colon: 'a: b'\n", "hash: '#x'\n", "plain: hello world\n", "version: v1.2\n");
        assertThat((Map<String, Object>) new Yaml().load(yaml)).isEqualTo(values);
    }

    @Test
    void scalarsKeepTheirTypes() {
        String yaml = YamlWriter.write(ordered("port", 8008, "big", 10_000_000_000L, "ratio", 0.25, "enabled", true, "nothing", null));

        assertThat(yaml).isEqualTo("port: 8008\nbig: 10000000000\nratio: 0.25\nenabled: true\nnothing: null\n");
    }

    @Test
    void multiLineStringsAreLiteralBlocks() {
        assertThat(YamlWriter.write(ordered("script", "set -e\necho hi\n"))).isEqualTo("script: |\n  set -e\n  echo hi\n");
    }

    @Test
    void unorderedMapsAndSetsAreSortedSoTheOutputIsStable() {
        Map<String, Object> unordered = new HashMap<>(Map.of("zeta", 1, "alpha", 2, "mid", Set.of("b", "c", "a")));

        assertThat(YamlWriter.write(unordered)).isEqualTo("alpha: 2\nmid:\n- a\n- b\n- c\nzeta: 1\n");
        assertThat(YamlWriter.write(new TreeMap<>(Map.of("b", 1, "a", 2)))).isEqualTo("a: 2\nb: 1\n");
    }

    @Test
    void sharedValuesAreWrittenOutNotAliased() {
        List<String> shared = List.of("client");

        String yaml = YamlWriter.write(ordered("a", shared, "b", shared));

        assertThat(yaml).isEqualTo("a:\n- client\nb:\n- client\n").doesNotContain("&", "*");
    }

    @Test
    void secretsAreWrittenInClear() {
        assertThat(YamlWriter.write(ordered("macaroon_secret_key", Secret.of("p4ss-w0rd-long")))).isEqualTo("macaroon_secret_key: p4ss-w0rd-long\n");
    }

    @Test
    void theIndentIsConfigurable() {
        assertThat(YamlWriter.write(ordered("a", ordered("b", 1)), 4)).isEqualTo("a:\n    b: 1\n");
    }

    @Test
    void valuesYamlCannotHoldAreRefused() {
        assertThatThrownBy(() -> YamlWriter.write(ordered("x", new Object())))
                .isInstanceOf(ContentException.class).hasMessageContaining("cannot write a java.lang.Object as YAML");
    }

    @Test
    void aDocumentIsContentForAFile() {
        assertThat(new String(YamlDocument.of(ordered("a", 1)).bytes())).isEqualTo("a: 1\n");
    }

    @Test
    void handWrittenPutsListsWithoutMapsOnOneLineAndIndentsListItemsUnderTheirKey() {
        Map<String, Object> listener = ordered("path", "/run/synapse/main.sock", "mode", Octal.of(0660), "resources",
                List.of(ordered("names", List.of("client", "federation"), "compress", false)));

        String yaml = YamlWriter.write(ordered("listeners", List.of(listener), "nested", List.of(List.of("a"), List.of()), "none", List.of(),
                "empty", ordered()), YamlStyle.HAND_WRITTEN);

        assertThat(yaml).isEqualTo("""
                listeners:
                  - path: /run/synapse/main.sock
                    mode: 0660
                    resources:
                      - names: [client, federation]
                        compress: false
                nested: [[a], []]
                none: []
                empty: {}
                """);
    }

    @Test
    void handWrittenDoubleQuotesEveryStringThatIsNotABareWordOrPath() {
        Map<String, Object> values = ordered("host", "127.0.0.1", "format", "%(asctime)s - %(message)s", "yes", "Yes", "y", "y",
                "null", "NULL", "equals", "=", "escaped", "say \"hi\" \\o/", "path", "/etc/matrix-synapse/conf.d", "logger", "synapse.metrics",
                "address", "@alice_1-x", "port", 8008, "list", List.of("client", "0660", "a b"));

        String yaml = YamlWriter.write(values, YamlStyle.HAND_WRITTEN);

        assertThat(yaml).isEqualTo("""
                host: "127.0.0.1"
                format: "%(asctime)s - %(message)s"
                "yes": "Yes"
                "y": "y"
                "null": "NULL"
                equals: "="
                escaped: "say \\"hi\\" \\\\o/"
                path: /etc/matrix-synapse/conf.d
                logger: synapse.metrics
                address: "@alice_1-x"
                port: 8008
                list: [client, "0660", "a b"]
                """);
        assertThat((Map<String, Object>) new Yaml().load(yaml)).isEqualTo(values);
    }

    @Test
    void handWrittenKeepsMultiLineStringsAsLiteralBlocks() {
        assertThat(YamlWriter.write(ordered("script", "set -e\necho hi\n"), YamlStyle.HAND_WRITTEN)).isEqualTo("script: |\n  set -e\n  echo hi\n");
    }

    @Test
    void aDocumentCanBeHandWritten() {
        assertThat(YamlDocument.of(ordered("names", List.of("client")), YamlStyle.HAND_WRITTEN).render()).isEqualTo("names: [client]\n");
    }
}
