package dev.provision.engine.connect;

import dev.provision.dsl.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class KeeperWireTest {

    @TempDir
    Path dir;

    private SocketChannel runSide;
    private SocketChannel keeperSide;

    @BeforeEach
    void socketPair() throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(address);
            runSide = SocketChannel.open(address);
            keeperSide = server.accept();
        }
    }

    @AfterEach
    void close() throws Exception {
        runSide.close();
        keeperSide.close();
    }

    @Test
    void theSettingsAndShellCommandArriveAsSent() throws Exception {
        ConnectionSettings sent = ConnectionSettings.ssh("db1.example.org", 2222, "deploy").toBuilder()
                .identityFiles(List.of(Path.of("/keys/a"), Path.of("/keys/b")))
                .password(Secret.of("s3cret"))
                .knownHosts(List.of(Path.of("/etc/ssh/known")), true)
                .connectTimeout(Duration.ofSeconds(7))
                .persist(Duration.ofSeconds(60))
                .build();

        new KeeperWire(runSide).write(KeeperWire.OPEN, KeeperWire.encode(sent, "sudo -n sh -s"));
        KeeperWire.Frame frame = new KeeperWire(keeperSide).read().orElseThrow();
        KeeperWire.Request request = KeeperWire.decode(frame.data());

        assertThat(frame.kind()).isEqualTo(KeeperWire.OPEN);
        assertThat(request.shellCommand()).isEqualTo("sudo -n sh -s");
        assertThat(request.settings()).isEqualTo(sent);
    }

    @Test
    void aStreamBecomesFramesEndedByItsEndKind() throws Exception {
        byte[] big = new byte[(1 << 20) * 2 + 5];
        Arrays.fill(big, (byte) 'x');
        KeeperWire keeper = new KeeperWire(keeperSide);
        Thread writer = new Thread(() -> {
            try (OutputStream stdin = new KeeperWire(runSide).output(KeeperWire.STDIN, KeeperWire.STDIN_END)) {
                stdin.write("echo hi\n".getBytes());
                stdin.write(big);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        writer.start();

        assertThat(new String(keeper.read().orElseThrow().data())).isEqualTo("echo hi\n");
        int received = 0;
        KeeperWire.Frame frame;
        while ((frame = keeper.read().orElseThrow()).kind() == KeeperWire.STDIN) {
            received += frame.data().length;
        }
        writer.join();
        assertThat(received).isEqualTo(big.length);
        assertThat(frame.kind()).isEqualTo(KeeperWire.STDIN_END);
    }

    @Test
    void aClosedSocketReadsAsTheEnd() throws Exception {
        runSide.close();

        assertThat(new KeeperWire(keeperSide).read()).isEqualTo(Optional.empty());
    }
}
