package dev.provision.engine.inventory;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SshConfigTest {

    private static final Path HOME = Path.of(System.getProperty("user.home"));

    private static final SshConfig CONFIG = SshConfig.parse(Path.of("config"), """
            # global options apply to every host
            IdentityFile ~/.ssh/global

            Host bastion
                HostName=198.51.100.1
                User jump

            Host *.example.com !legacy.example.com
              User "admin"
              Port 2222
              IdentityFile ~/.ssh/example

            Match host foo
              User never

            Host db?
              HostName %h.internal
              Port 2201

            Host *
              User fallback
              Port 22
            """);

    @Test
    void firstValueWinsAndIdentityFilesAccumulate() {
        SshConfig.Entry web = CONFIG.lookup("web.example.com");
        assertThat(web.user()).contains("admin");
        assertThat(web.port()).contains(2222);
        assertThat(web.hostName()).isEmpty();
        assertThat(web.identityFiles()).containsExactly(HOME.resolve(".ssh/global"), HOME.resolve(".ssh/example"));
    }

    @Test
    void negatedPatternsExcludeAHost() {
        SshConfig.Entry legacy = CONFIG.lookup("legacy.example.com");
        assertThat(legacy.user()).contains("fallback");
        assertThat(legacy.port()).contains(22);
    }

    @Test
    void hostNameMayUseTheGivenName() {
        assertThat(CONFIG.lookup("db1").hostName()).contains("db1.internal");
        assertThat(CONFIG.lookup("db1").port()).contains(2201);
        assertThat(CONFIG.lookup("db10").hostName()).isEmpty();
    }

    @Test
    void matchingIsCaseInsensitiveAndMatchSectionsNeverApply() {
        SshConfig.Entry bastion = CONFIG.lookup("Bastion");
        assertThat(bastion.hostName()).contains("198.51.100.1");
        assertThat(bastion.user()).contains("jump");
        assertThat(CONFIG.lookup("foo").user()).contains("fallback");
    }

    @Test
    void noConfigSaysNothing() {
        assertThat(SshConfig.none().lookup("x")).isEqualTo(new SshConfig.Entry(Optional.empty(), Optional.empty(), Optional.empty(), List.of()));
        assertThat(SshConfig.load(Path.of("/nonexistent/ssh/config")).lookup("x").user()).isEmpty();
    }

    @Test
    void aBadPortNamesTheLine() {
        SshConfig config = SshConfig.parse(Path.of("cfg"), "Host x\n  Port twenty\n");
        assertThatThrownBy(() -> config.lookup("x")).hasMessage("cfg:2: Port twenty is not a number");
    }
}
