package dev.provision.task;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShellTest {

    @Test
    void quotingLeavesPlainWordsAloneAndSurvivesSingleQuotes() {
        assertThat(Shell.quote("/etc/redis/redis.conf")).isEqualTo("/etc/redis/redis.conf");
        assertThat(Shell.quote("it's here")).isEqualTo("'it'\\''s here'");
        assertThat(Shell.quote("")).isEqualTo("''");
    }
}
