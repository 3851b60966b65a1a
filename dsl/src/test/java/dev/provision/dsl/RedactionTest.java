package dev.provision.dsl;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    @Test
    void everySecretCreatedIsMaskedWhereverItAppears() {
        Secret secret = Secret.of("correct-horse-battery");
        assertThat(Redaction.mask("password=correct-horse-battery; again correct-horse-battery"))
                .isEqualTo("password=********; again ********");
        assertThat(secret.toString()).isEqualTo("********");
        assertThat("" + secret).doesNotContain("horse");
    }

    @Test
    void scriptsAreShownWithoutTheirPayloads() {
        String script = "mkdir -p /x\n" + Shell.pipe("line one\nline two\n", "cat > /x/f") + "chmod 0600 /x/f\n";
        String shown = Redaction.forDisplay(script);
        assertThat(shown).contains("mkdir -p /x", "| cat > /x/f", "<payload hidden>", "chmod 0600 /x/f")
                .doesNotContain(java.util.Base64.getEncoder().encodeToString("line one\nline two\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void quotingLeavesPlainWordsAloneAndSurvivesSingleQuotes() {
        assertThat(Shell.quote("/etc/redis/redis.conf")).isEqualTo("/etc/redis/redis.conf");
        assertThat(Shell.quote("it's here")).isEqualTo("'it'\\''s here'");
        assertThat(Shell.quote("")).isEqualTo("''");
    }
}
