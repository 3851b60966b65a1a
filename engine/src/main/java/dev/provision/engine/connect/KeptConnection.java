package dev.provision.engine.connect;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;

/**
 * A shell on a host through the {@link ConnectionKeeper}, which is started in the background when
 * none answers. The shell's streams travel as frames over the keeper's socket; closing the
 * connection closes the socket, and the keeper drops the SSH connection if the shell was still running.
 */
final class KeptConnection {

    private static final long KEEPER_START_MILLIS = 15_000;

    private KeptConnection() {
    }

    static Connection open(ConnectionSettings settings) {
        Path dir = ConnectionKeeper.directory();
        for (int attempt = 1; ; attempt++) {
            SocketChannel socket = connect(dir, settings);
            try {
                Optional<Connection> connection = openShell(socket, settings);
                if (connection.isPresent()) {
                    return connection.get();
                }
                SshConnection.closeQuietly(socket);
                if (attempt == 2) {
                    throw new ConnectionException("the connection keeper closed the socket twice before answering for "
                            + settings.describe() + "; see " + dir.resolve(ConnectionKeeper.LOG));
                }
            } catch (IOException e) {
                SshConnection.closeQuietly(socket);
                throw new ConnectionException("lost the connection keeper while opening " + settings.describe() + ": "
                        + e.getMessage() + "; see " + dir.resolve(ConnectionKeeper.LOG), e);
            } catch (RuntimeException e) {
                SshConnection.closeQuietly(socket);
                throw e;
            }
        }
    }

    /** The shell, or empty when the keeper closed the socket unanswered (it was exiting). */
    private static Optional<Connection> openShell(SocketChannel socket, ConnectionSettings settings) throws IOException {
        KeeperWire wire = new KeeperWire(socket);
        wire.write(KeeperWire.OPEN, KeeperWire.encode(settings, SshConnection.shellCommand(settings)));
        Optional<KeeperWire.Frame> answer = wire.read();
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        if (answer.get().kind() == KeeperWire.FAILED) {
            throw new ConnectionException(new String(answer.get().data(), StandardCharsets.UTF_8));
        }
        Inbox stdout = new Inbox();
        Inbox stderr = new Inbox();
        Thread demux = new Thread(() -> demultiplex(wire, stdout, stderr), "provision-keeper-" + settings.describe());
        demux.setDaemon(true);
        demux.start();
        OutputStream stdin = wire.output(KeeperWire.STDIN, KeeperWire.STDIN_END);
        return Optional.of(SshConnection.shellSession(settings, stdin, stdout, stderr, () -> SshConnection.closeQuietly(socket)));
    }

    /** The keeper's frames into the shell's stdout and stderr, both ended when the shell exits or the socket ends. */
    private static void demultiplex(KeeperWire wire, Inbox stdout, Inbox stderr) {
        try {
            for (Optional<KeeperWire.Frame> frame = wire.read(); frame.isPresent(); frame = wire.read()) {
                switch (frame.get().kind()) {
                    case KeeperWire.STDOUT -> stdout.deliver(frame.get().data());
                    case KeeperWire.STDERR -> stderr.deliver(frame.get().data());
                    case KeeperWire.EXITED -> {
                        return;
                    }
                    default -> throw new IOException("unexpected frame " + (char) frame.get().kind() + " from the keeper");
                }
            }
        } catch (IOException ignored) {
            // the socket is closed or broken: the shell's streams end here, and ShellSession says the connection was lost
        } finally {
            stdout.end();
            stderr.end();
        }
    }

    /** One of the shell's output streams: the data of its frames, in order, as they arrive. */
    private static final class Inbox extends InputStream {
        private static final byte[] END = new byte[0];

        private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        private byte[] chunk = new byte[0];
        private int position;

        void deliver(byte[] data) {
            if (data.length > 0) {
                chunks.add(data);
            }
        }

        void end() {
            chunks.add(END);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (position == chunk.length) {
                if (chunk == END) {
                    return -1;
                }
                try {
                    chunk = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading from the connection keeper");
                }
                position = 0;
            }
            int n = Math.min(length, chunk.length - position);
            System.arraycopy(chunk, position, buffer, offset, n);
            position += n;
            return n;
        }
    }

    /**
     * The keeper's socket; a keeper is started when none answers, and again when one exits at once
     * because the lock is still held by a keeper on its way out.
     */
    private static SocketChannel connect(Path dir, ConnectionSettings settings) {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve(ConnectionKeeper.SOCKET));
        long deadline = System.currentTimeMillis() + KEEPER_START_MILLIS;
        Process keeper = null;
        while (System.currentTimeMillis() < deadline) {
            Optional<SocketChannel> socket = tryConnect(address);
            if (socket.isPresent()) {
                return socket.get();
            }
            if (keeper != null && !keeper.isAlive() && keeper.exitValue() != 0) {
                break;
            }
            if (keeper == null || !keeper.isAlive()) {
                keeper = startKeeper(dir, settings);
            }
            sleep(50);
        }
        throw new ConnectionException("the connection keeper did not start within " + KEEPER_START_MILLIS / 1000 + " s"
                + logTail(dir) + "; run without --persist, or see " + dir.resolve(ConnectionKeeper.LOG));
    }

    private static Optional<SocketChannel> tryConnect(UnixDomainSocketAddress address) {
        try {
            return Optional.of(SocketChannel.open(address));
        } catch (IOException e) {
            return Optional.empty(); // no socket yet, or a stale one the next keeper replaces
        }
    }

    /** In a session of its own (setsid) so that the terminal's Ctrl-C and hangup reach the run, not the keeper. */
    private static Process startKeeper(Path dir, ConnectionSettings settings) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", classPath,
                ConnectionKeeper.class.getName(), dir.toString(), String.valueOf(settings.persist().toMillis())));
        try {
            return new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(ConnectionKeeper.LOG).toFile()))
                    .start();
        } catch (IOException e) {
            throw new ConnectionException("cannot start the connection keeper (" + e.getMessage() + "); run without --persist", e);
        }
    }

    private static String logTail(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(ConnectionKeeper.LOG));
            return lines.isEmpty() ? "" : ": " + String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException("interrupted while starting the connection keeper", e);
        }
    }
}
