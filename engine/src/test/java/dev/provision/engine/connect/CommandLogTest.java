package dev.provision.engine.connect;

import dev.provision.dsl.Secret;
import dev.provision.task.Shell;
import dev.provision.engine.report.Masking;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLogTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Secret secret = Secret.of("s3cret-for-the-log");
    private final Masking masking = Masking.of(secret);
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Connection shell = ConnectionChain.of(LocalConnection.open(ConnectionSettings.localShell()),
            List.of(new CommandLog(line -> log.add(masking.mask(line.get())))));

    @AfterEach
    void close() {
        shell.close();
    }

    @Test
    void logsCommandsForDisplayWithTheirExitCodes() {
        shell.run(List.of("echo " + secret.reveal(), Shell.pipe("payload " + secret.reveal(), "cat >/dev/null"), "exit 4"), TIMEOUT);

        assertThat(log).hasSize(3);
        assertThat(log.get(0)).isEqualTo("[exit 0] echo " + Secret.MASK);
        assertThat(log.get(1)).startsWith("[exit 0] base64 -d").contains("<payload hidden>");
        assertThat(log.get(2)).isEqualTo("[exit 4] exit 4");
        assertThat(String.join("\n", log)).doesNotContain(secret.reveal());
    }

    @Test
    void theLastWordsOfASessionAreLoggedAsSentAtClose() {
        shell.send(Batch.closing(List.of("rm -f /tmp/never-there")));

        assertThat(log).containsExactly("[at close] rm -f /tmp/never-there");
    }

    @Test
    void scriptsAreShownWithoutTheirPayloads() {
        String script = "mkdir -p /x\n" + Shell.pipe("line one\nline two\n", "cat > /x/f") + "chmod 0600 /x/f\n";
        String shown = Shell.withoutPayloads(script);
        assertThat(shown).contains("mkdir -p /x", "| cat > /x/f", "<payload hidden>", "chmod 0600 /x/f")
                .doesNotContain(Base64.getEncoder().encodeToString("line one\nline two\n".getBytes(StandardCharsets.UTF_8)));
    }
}
