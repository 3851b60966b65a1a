package dev.provision.engine.connect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SshConnectionTest {

    @Test
    void aNameThatDoesNotResolveIsSaidSo() {
        assertThatThrownBy(() -> SshConnection.open(ConnectionSettings.ssh("no-such-host.invalid", 22, "root")))
                .isInstanceOf(ConnectionException.class)
                .hasMessage("cannot connect to no-such-host.invalid:22: no address is known for this name (DNS)");
    }
}
