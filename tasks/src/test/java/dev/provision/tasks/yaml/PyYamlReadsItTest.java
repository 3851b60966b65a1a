package dev.provision.tasks.yaml;

import dev.provision.task.CommandResult;
import dev.provision.tasks.files.LocalHost;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What Synapse will see: the rendered YAML read by PyYAML itself, where this machine has it (the
 * target hosts have no Python; the controller's CI image does).
 */
class PyYamlReadsItTest {

    private static final String AS_WRITTEN = "{\"mode\": 432, \"strings\": [\"0660\", \"yes\", \"on\", \"no\", \"off\", \"y\", \"n\", "
            + "\"null\", \"~\", \"\", \"12:30\", \"1_000\", \"=\", \"<<\", \"2024-01-01\", \"1e3\", \".5\", \"0x1F\", \"+1\", \".inf\", "
            + "\"#x\", \"a: b\", \"- x\", \"é\", \"tab\\there\", \"trailing \"], \"numbers\": [0, 8008, -1, 2.5], "
            + "\"flags\": [true, false], \"text\": \"line one\\nline two\\n\"}";

    @Test
    void pyYamlReadsTheValuesAsWritten() {
        assertThat(readByPyYaml(YamlStyle.BLOCK)).isEqualTo(AS_WRITTEN);
    }

    @Test
    void pyYamlReadsHandWrittenValuesAsWritten() {
        assertThat(readByPyYaml(YamlStyle.HAND_WRITTEN)).isEqualTo(AS_WRITTEN);
    }

    private static String readByPyYaml(YamlStyle style) {
        assumeTrue(LocalHost.sh("python3 -c 'import yaml'").succeeded(), "python3 with PyYAML is not installed");
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("mode", Octal.of(0660));
        document.put("strings", List.of("0660", "yes", "on", "no", "off", "y", "n", "null", "~", "", "12:30", "1_000", "=", "<<",
                "2024-01-01", "1e3", ".5", "0x1F", "+1", ".inf", "#x", "a: b", "- x", "é", "tab\there", "trailing "));
        document.put("numbers", List.of(0, 8008, -1, 2.5));
        document.put("flags", List.of(true, false));
        document.put("text", "line one\nline two\n");
        String yaml = YamlWriter.write(document, style);

        CommandResult read = LocalHost.sh("python3 -c 'import sys, yaml, json; print(json.dumps(yaml.safe_load(sys.stdin), ensure_ascii=False))' <<'EOF'\n"
                + yaml + "EOF\n");

        assertThat(read.succeeded()).as(read.errorText()).isTrue();
        return read.stdout().strip();
    }
}
