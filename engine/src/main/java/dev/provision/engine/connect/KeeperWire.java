package dev.provision.engine.connect;

import dev.provision.dsl.Secret;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a run and the {@link ConnectionKeeper} say to each other over a UNIX socket: frames of a kind
 * byte, a length and that many bytes. The run sends {@link #OPEN} (the connection settings) and then
 * the shell's stdin as {@link #STDIN} frames, ended by {@link #STDIN_END}; the keeper answers
 * {@link #OPENED} or {@link #FAILED} (a message), then the shell's {@link #STDOUT} and {@link #STDERR},
 * and {@link #EXITED} when both have ended. A socket that ends before {@code STDIN_END} or
 * {@code EXITED} means the other side is gone.
 *
 * <p>The socket is read and written with the channel's own calls: on Java 17 the streams of
 * {@code Channels} block a write while a read waits.
 */
final class KeeperWire {

    static final byte OPEN = 'R';
    static final byte OPENED = 'K';
    static final byte FAILED = 'F';
    static final byte STDIN = 'I';
    static final byte STDIN_END = 'C';
    static final byte STDOUT = 'O';
    static final byte STDERR = 'E';
    static final byte EXITED = 'X';

    private static final int MAX_FRAME = 1 << 20;

    record Frame(byte kind, byte[] data) {
    }

    private final SocketChannel socket;
    private final ByteBuffer header = ByteBuffer.allocate(5);

    KeeperWire(SocketChannel socket) {
        this.socket = socket;
    }

    /** Writes one frame whole; safe from several threads. */
    synchronized void write(byte kind, byte[] data, int offset, int length) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(5 + length).put(kind).putInt(length).put(data, offset, length).flip();
        while (frame.hasRemaining()) {
            socket.write(frame);
        }
    }

    void write(byte kind, byte[] data) throws IOException {
        write(kind, data, 0, data.length);
    }

    void write(byte kind) throws IOException {
        write(kind, new byte[0]);
    }

    /** The next frame, or empty when the socket has ended; one reader at a time. */
    Optional<Frame> read() throws IOException {
        header.clear();
        if (!fill(header)) {
            return Optional.empty();
        }
        byte kind = header.get(0);
        int length = header.getInt(1);
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("a frame of " + length + " bytes from the other side of the keeper socket");
        }
        ByteBuffer data = ByteBuffer.allocate(length);
        if (!fill(data)) {
            throw new EOFException("the keeper socket ended inside a frame");
        }
        return Optional.of(new Frame(kind, data.array()));
    }

    /** True when the buffer was filled, false when the socket ended before its first byte. */
    private boolean fill(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (socket.read(buffer) < 0) {
                if (buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("the keeper socket ended inside a frame");
            }
        }
        return true;
    }

    /** A stream that sends what is written as frames of {@code kind}, and {@code endKind} when closed. */
    OutputStream output(byte kind, byte endKind) {
        return new OutputStream() {
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    throw new IOException("the stream is closed");
                }
                for (int from = off; from < off + len; from += MAX_FRAME) {
                    KeeperWire.this.write(kind, b, from, Math.min(MAX_FRAME, off + len - from));
                }
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    KeeperWire.this.write(endKind);
                }
            }
        };
    }

    /** Everything the keeper needs to open the connection and start the shell. */
    static byte[] encode(ConnectionSettings settings, String shellCommand) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(settings.address());
        out.writeInt(settings.port());
        out.writeUTF(settings.user());
        writePaths(out, settings.identityFiles());
        out.writeBoolean(settings.password().isPresent());
        if (settings.password().isPresent()) {
            out.writeUTF(settings.password().get().reveal());
        }
        writePaths(out, settings.knownHosts());
        out.writeBoolean(settings.acceptNewHostKeys());
        out.writeLong(settings.connectTimeout().toMillis());
        out.writeLong(settings.persist().toMillis());
        out.writeUTF(shellCommand);
        return bytes.toByteArray();
    }

    /** The settings a run sent (become is the run's own affair: the command already says it) and the shell command. */
    record Request(ConnectionSettings settings, String shellCommand) {
    }

    static Request decode(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        ConnectionSettings.Builder settings = ConnectionSettings.ssh(in.readUTF(), in.readInt(), in.readUTF()).toBuilder()
                .identityFiles(readPaths(in));
        if (in.readBoolean()) {
            settings.password(Secret.of(in.readUTF()));
        }
        settings.knownHosts(readPaths(in), in.readBoolean())
                .connectTimeout(Duration.ofMillis(in.readLong()))
                .persist(Duration.ofMillis(in.readLong()));
        return new Request(settings.build(), in.readUTF());
    }

    private static void writePaths(DataOutputStream out, List<Path> paths) throws IOException {
        out.writeInt(paths.size());
        for (Path path : paths) {
            out.writeUTF(path.toAbsolutePath().toString());
        }
    }

    private static List<Path> readPaths(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<Path> paths = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            paths.add(Path.of(in.readUTF()));
        }
        return paths;
    }

    /** Copies a stream into frames of {@code kind} until it ends. */
    void pump(InputStream from, byte kind) throws IOException {
        byte[] buffer = new byte[32768];
        for (int n; (n = from.read(buffer)) >= 0; ) {
            if (n > 0) {
                write(kind, buffer, 0, n);
            }
        }
    }
}
