package dev.provision.tasks.templates;

import dev.provision.task.Shell;
import dev.provision.engine.report.Masking;
import dev.provision.dsl.Secret;
import dev.provision.task.Change;
import dev.provision.tasks.files.ContentException;
import dev.provision.tasks.files.Files;
import dev.provision.tasks.files.LocalHost;
import dev.provision.tasks.yaml.Octal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateTest {

    private static String render(String text, Object... variables) {
        Template template = Template.of("test.j2", text);
        for (int i = 0; i < variables.length; i += 2) {
            template.with((String) variables[i], variables[i + 1]);
        }
        return template.render();
    }

    @Test
    void rendersAClasspathTemplateWithAnsibleBlockTrimming() {
        String text = Template.resource("templates/redis.conf.j2")
                .with(Map.of("bind", List.of("127.0.0.1", "::1"), "port", 0, "unixsocket", "/run/redis/redis-server.sock", "maxmemory", "256mb"))
                .render();

        assertThat(text).isEqualTo("""
                # Managed by provision: edits here are overwritten.
                bind 127.0.0.1 ::1
                port 0
                unixsocket /run/redis/redis-server.sock
                unixsocketperm 700
                maxmemory 256mb
                """);
    }

    @Test
    void anUndefinedVariableNamesTemplateLineAndVariable() {
        assertThatThrownBy(() -> Template.resource("templates/redis.conf.j2").with("bind", List.of("::1")).with("port", 0).render())
                .isInstanceOf(ContentException.class)
                .hasMessage("template templates/redis.conf.j2, line 8: 'maxmemory' is undefined");
    }

    @Test
    void undefinedInConditionsLoopsAndAttributesIsAnErrorToo() {
        assertThatThrownBy(() -> render("a\n{% if missing %}x{% endif %}")).hasMessage("template test.j2, line 2: 'missing' is undefined");
        assertThatThrownBy(() -> render("{% for x in items %}{{ x }}{% endfor %}")).hasMessage("template test.j2, line 1: 'items' is undefined");
        assertThatThrownBy(() -> render("\n\n{{ db.port }}", "db", Map.of("host", "x"))).hasMessage("template test.j2, line 3: 'db.port' is undefined");
    }

    @Test
    void linesAreTheTemplatesOwnDespiteTrimmedBlocks() {
        String template = "a\n{% if x is defined %}\nb\n{% endif %}\n{# note #}\n{% if y is defined %}\nc\n{% endif %}\n{{ z }}\n";

        assertThatThrownBy(() -> render(template)).hasMessage("template test.j2, line 9: 'z' is undefined");
        assertThatThrownBy(() -> render("{% set a = 1 %}\n{% if q %}\n{% endif %}\n")).hasMessage("template test.j2, line 2: 'q' is undefined");
    }

    @Test
    void defaultAndIsDefinedStillWork() {
        assertThat(render("{{ missing | default('fallback') }} {{ 'y' if missing is defined else 'n' }}")).isEqualTo("fallback n");
    }

    @Test
    void aMissingTemplateResourceIsAContentError() {
        assertThatThrownBy(() -> Template.resource("templates/none.j2").render()).hasMessageContaining("templates/none.j2 is not on the classpath");
    }

    @Test
    void aSyntaxErrorNamesTheLine() {
        assertThatThrownBy(() -> render("a\nb\n{% if x %}")).isInstanceOf(ContentException.class).hasMessageContaining("template test.j2, line 3");
    }

    @Test
    void aSecretRendersAsItsValueAndIsRegisteredForMasking() {
        Secret password = Secret.of("hunter2-but-longer");

        String text = render("requirepass {{ password }}\n{% for u in users %}{{ u.name }}:{{ u.pass }}\n{% endfor %}",
                "password", password, "users", List.of(Map.of("name", "synapse", "pass", password)));

        assertThat(text).isEqualTo("requirepass hunter2-but-longer\nsynapse:hunter2-but-longer\n");
        assertThat(Masking.of(password).mask(text)).doesNotContain("hunter2");
    }

    @Test
    void aTemplatedFileCarriesTheSecretInItsScriptAndDiffForTheEngineToMask(@TempDir Path dir) {
        Secret password = Secret.of("swordfish-2024");

        Change change = LocalHost.plan(Files.file(dir.resolve("redis.conf").toString())
                .content(Template.of("redis.conf.j2", "requirepass {{ password }}\n").with("password", password))).changes().get(0);

        assertThat(change.diff().orElseThrow().after()).isEqualTo("requirepass swordfish-2024\n");
        assertThat(Masking.of(password).mask(change.diff().orElseThrow().unified())).contains("+requirepass ********").doesNotContain("swordfish");
        assertThat(Shell.withoutPayloads(change.script())).doesNotContain("swordfish");
    }

    @Test
    void joinAndBoolAndB64encode() {
        assertThat(render("{{ xs | join(',') }}|{{ 'yes' | bool }}|{{ 'off' | bool }}|{{ 'héllo' | b64encode }}", "xs", List.of(1, 2, 3)))
                .isEqualTo("1,2,3|true|false|aMOpbGxv");
    }

    @Test
    void regexReplaceTakesPythonSyntax() {
        assertThat(render("{{ 'ansible' | regex_replace('^a.*i(.*)$', 'a\\\\1') }}")).isEqualTo("able");
        assertThat(render("{{ 'localhost:80' | regex_replace('^(?P<host>.+):(?P<port>\\\\d+)$', '\\\\g<host>, \\\\g<port>') }}"))
                .isEqualTo("localhost, 80");
        assertThat(render("{{ 'Foo $bar' | regex_replace('FOO', 'x', ignorecase=True) }}")).isEqualTo("x $bar");
        assertThat(render("{{ 'a.b' | regex_replace('\\\\.', '$') }}")).isEqualTo("a$b");
    }

    @Test
    void mandatoryFailsOnUndefined() {
        assertThat(render("{{ x | mandatory }}", "x", "ok")).isEqualTo("ok");
        assertThatThrownBy(() -> render("\n{{ server_name | mandatory('set server_name in the inventory') }}"))
                .isInstanceOf(ContentException.class)
                .hasMessageContaining("template test.j2, line 2")
                .hasMessageContaining("set server_name in the inventory");
    }

    @Test
    void quoteMakesOneShellWord() {
        assertThat(render("{{ path | quote }} {{ 'plain' | quote }}", "path", "it's here")).isEqualTo("'it'\\''s here' plain");
    }

    @Test
    void toJsonAndToNiceJsonLikeAnsible() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "synapse");
        value.put("ports", List.of(8008, 8448));
        value.put("tls", false);

        assertThat(render("{{ v | to_json }}", "v", value)).isEqualTo("{\"name\": \"synapse\", \"ports\": [8008, 8448], \"tls\": false}");
        assertThat(render("{{ v | to_nice_json }}", "v", value)).isEqualTo("""
                {
                    "name": "synapse",
                    "ports": [
                        8008,
                        8448
                    ],
                    "tls": false
                }""");
    }

    @Test
    void toJsonWritesTemplateLiteralsEscapedStringsAndEmptyContainers() {
        assertThat(render("{{ {'a': [1, 2.5, none, true], 'b': {}, 'c': []} | to_json }}"))
                .isEqualTo("{\"a\": [1, 2.5, null, true], \"b\": {}, \"c\": []}");
        assertThat(render("{{ v | to_json }}", "v", "say \"hi\"\\\n\t\u0001"))
                .isEqualTo("\"say \\\"hi\\\"\\\\\\n\\t\\u0001\"");
    }

    @Test
    void toNiceJsonSortsNestedKeysAndKeepsEmptyContainersOnTheirLine() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("b", Map.of());
        value.put("a", List.of(Map.of("z", 1, "y", List.of())));
        assertThat(render("{{ v | to_nice_json }}", "v", value)).isEqualTo("""
                {
                    "a": [
                        {
                            "y": [],
                            "z": 1
                        }
                    ],
                    "b": {}
                }""");
    }

    @Test
    void toJsonWritesAnOctalAsItsNumberAndOtherObjectsAsTheirString() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("mode", Octal.of(0660));
        value.put("path", Path.of("/etc/app.conf"));
        assertThat(render("{{ v | to_json }}", "v", value)).isEqualTo("{\"mode\": 432, \"path\": \"/etc/app.conf\"}");
    }

    @Test
    void toYamlAndToNiceYaml() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("listeners", List.of(Map.of("port", 8008)));
        value.put("version", "1.0");

        assertThat(render("{{ v | to_yaml }}", "v", value)).isEqualTo("listeners:\n- port: 8008\nversion: '1.0'\n");
        assertThat(render("{{ v | to_nice_yaml }}", "v", Map.of("a", Map.of("b", 1)))).isEqualTo("a:\n    b: 1\n");
        assertThat(render("{{ v | to_nice_yaml(indent=2) }}", "v", Map.of("a", Map.of("b", 1)))).isEqualTo("a:\n  b: 1\n");
    }
}
