package dev.provision.dsl;

import dev.provision.dsl.engine.SecretWitness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostTest {

    private final Secret password = Secret.of("s3cr3t-from-inventory");
    private final Host host = new Host("db1", Map.of("db_password", password, "workers", 3, "debug", "true"));

    @Test
    void aSecretVariableKeepsItsValueForThePlaybookAndStaysMaskedInOutput() {
        assertThat(host.secret("db_password")).isSameAs(password);
        assertThat(host.var("db_password")).isEqualTo("s3cr3t-from-inventory");
        assertThat("pw " + host.secret("db_password")).isEqualTo("pw ********");
    }

    @Test
    void aPlainVariableReadAsASecretIsMadeOneTheRunSees() {
        Host plain = new Host("db1", Map.of("token", "plain-token-value"));
        List<String> seen = new ArrayList<>();

        Secret token = SecretWitness.watching(seen::add, () -> plain.secret("token"));

        assertThat(seen).containsExactly("plain-token-value");
        assertThat(token.reveal()).isEqualTo("plain-token-value");
    }

    @Test
    void typedVariablesWithFallbacks() {
        assertThat(host.intVar("workers", 1)).isEqualTo(3);
        assertThat(host.intVar("missing", 7)).isEqualTo(7);
        assertThat(host.boolVar("debug", false)).isTrue();
        assertThatThrownBy(() -> host.var("server_name"))
                .hasMessageContaining("host db1 has no variable 'server_name'").hasMessageContaining("inventory");
    }
}
