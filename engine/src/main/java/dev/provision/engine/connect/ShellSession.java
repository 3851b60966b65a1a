package dev.provision.engine.connect;

import dev.provision.dsl.CommandResult;
import dev.provision.dsl.Redaction;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The protocol spoken over one persistent POSIX {@code sh} that reads its script from stdin, locally
 * or over SSH. Each command runs as {@code ( eval 'command' ) </dev/null} with stdout and stderr in
 * files of a private temp dir; then the shell prints a frame: a header line with this session's
 * nonce, a sequence number, the exit code and the byte lengths of both files, followed by their
 * bytes. Anything else the shell prints is skipped; a frame out of sequence is a protocol error. Because the
 * command is eval'd in a subshell, a syntax error, {@code exit} or {@code cd} in it cannot touch the
 * session. A daemon thread reads frames as they come, so output of any size flows while commands are
 * still being written.
 */
public final class ShellSession implements Connection {

    private static final String FRAME_FUNCTION = "__provision_frame";
    private static final int HEADER_MAX = 200;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final String host;
    private final OutputStream stdin;
    private final Runnable kill;
    private final String nonce = newNonce();
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final OutputTail strayOutput = new OutputTail();
    private final OutputTail shellStderr;
    private final Thread frameReader;
    private volatile String protocolError;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Consumer<String> commandLogger = line -> { };
    private volatile int roundTrips;
    private long framesExpected;

    private record Frame(long sequence, int exitCode, byte[] stdout, byte[] stderr) {
        static final Frame END = new Frame(-1, -1, null, null);
    }

    private ShellSession(String host, OutputStream stdin, InputStream stdout, InputStream stderr, Runnable kill) {
        this.host = host;
        this.stdin = stdin;
        this.kill = kill;
        this.shellStderr = OutputTail.drain(stderr, "provision-stderr-" + host);
        this.frameReader = new Thread(() -> readFrames(new BufferedInputStream(stdout, 65536)), "provision-frames-" + host);
        frameReader.setDaemon(true);
        frameReader.start();
    }

    /**
     * Sets up the session on a freshly started {@code sh -s}: the temp dir, its removal at exit, and
     * one empty command to prove the shell answers.
     *
     * @param host  for messages, e.g. {@code root@db1:22}
     * @param kill  ends the shell and what carries it at once (destroy the process, disconnect)
     * @throws ConnectionException when the shell does not answer within {@code timeout}
     */
    public static ShellSession start(String host, OutputStream stdin, InputStream stdout, InputStream stderr,
                                     Runnable kill, Duration timeout) {
        ShellSession session = new ShellSession(host, stdin, stdout, stderr, kill);
        session.send(session.prologue() + session.framed(":"));
        session.await(timeout, () -> "the shell on " + host + " did not start within " + seconds(timeout));
        return session;
    }

    @Override
    public synchronized void logCommands(Consumer<String> logger) {
        this.commandLogger = logger;
    }

    /** Writes all commands with one flush, then reads their frames: one round trip. */
    @Override
    public synchronized List<CommandResult> run(List<String> commands, Duration timeout) {
        if (closed.get()) {
            throw new ConnectionException("the connection to " + host + " is closed");
        }
        if (commands.isEmpty()) {
            return List.of();
        }
        roundTrips++;
        StringBuilder script = new StringBuilder();
        commands.forEach(command -> script.append(framed(command)));
        send(script.toString());
        List<CommandResult> results = new ArrayList<>(commands.size());
        for (String command : commands) {
            Frame frame = await(timeout, () -> "command timed out after " + seconds(timeout) + " on " + host + ": "
                    + firstLine(Redaction.forDisplay(command))
                    + " (the connection was closed; the command may still be running on the host)");
            CommandResult result = new CommandResult(frame.exitCode,
                    new String(frame.stdout, StandardCharsets.UTF_8), new String(frame.stderr, StandardCharsets.UTF_8));
            commandLogger.accept("[exit " + result.exitCode() + "] " + Redaction.forDisplay(command));
            results.add(result);
        }
        return results;
    }

    @Override
    public int roundTrips() {
        return roundTrips;
    }

    @Override
    public String describe() {
        return host;
    }

    /** The command goes out with the end of the script: the shell runs it before it exits, and close waits for that as always. */
    @Override
    public synchronized void closeAfter(String command) {
        if (!closed.get()) {
            try {
                send(framed(command));
                commandLogger.accept("[at close] " + Redaction.forDisplay(command));
            } catch (ConnectionException ignored) {
                // the shell is gone; so is whatever the command was to clean up, or it is found stale later
            }
        }
        close();
    }

    /**
     * Ends the script (the shell removes its temp dir and exits), then makes sure the shell is gone.
     * May be called from another thread while {@link #run} waits; that run then fails.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            stdin.close();
            frameReader.join(CLOSE_GRACE.toMillis());
        } catch (IOException ignored) {
            // the shell is gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill.run();
    }

    private String prologue() {
        String d = "\"$__provision_d\"";
        return "__provision_n=0 __provision_d=$(mktemp -d) && mkdir " + d + "/sent || exit 1\n"
                + "trap 'rm -rf " + d + "' EXIT\n"
                + "trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM\n"
                + FRAME_FUNCTION + "() {\n"
                + "  __provision_rc=$1 __provision_n=$((__provision_n + 1))\n"
                // a copy, and fresh files for the next command: a background process still writing cannot change what was counted
                + "  cp " + d + "/o " + d + "/e " + d + "/sent/ && rm -f " + d + "/o " + d + "/e\n"
                + "  set -- $(cd " + d + "/sent && wc -c o e)\n"
                + "  printf '\\n%s %s %s %s %s\\n' " + nonce + " $__provision_n \"$__provision_rc\" \"$1\" \"$3\"\n"
                + "  cat " + d + "/sent/o " + d + "/sent/e\n"
                + "}\n";
    }

    private static String framed(String command) {
        String quoted = "'" + command.replace("'", "'\\''") + "'";
        return "( eval " + quoted + " ) </dev/null >\"$__provision_d/o\" 2>\"$__provision_d/e\"; " + FRAME_FUNCTION + " $?\n";
    }

    private void send(String script) {
        try {
            stdin.write(script.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            abort();
            throw new ConnectionException("the shell on " + host + " is gone" + diagnostics(), e);
        }
    }

    private Frame await(Duration timeout, Supplier<String> timeoutMessage) {
        Frame frame;
        try {
            frame = frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new ConnectionException("interrupted while waiting for " + host, e);
        }
        if (frame == null) {
            abort();
            throw new ConnectionException(timeoutMessage.get());
        }
        if (frame == Frame.END && closed.get()) {
            throw new ConnectionException("the connection to " + host + " was closed");
        }
        if (frame == Frame.END) {
            abort();
            throw new ConnectionException(protocolError != null
                    ? "protocol error on " + host + ": " + protocolError + diagnostics()
                    : "the shell on " + host + " ended before answering" + diagnostics());
        }
        if (frame.sequence != ++framesExpected) {
            abort();
            throw new ConnectionException("protocol error on " + host + ": answer " + frame.sequence
                    + " arrived where " + framesExpected + " was expected" + diagnostics());
        }
        return frame;
    }

    private void abort() {
        closed.set(true);
        kill.run();
    }

    private String diagnostics() {
        shellStderr.awaitEnd(Duration.ofMillis(500));
        String text = "";
        if (!shellStderr.text().isBlank()) {
            text += "; its stderr ends with: " + shellStderr.text().strip();
        }
        if (!strayOutput.text().isBlank()) {
            text += "; unexpected output: " + strayOutput.text().strip();
        }
        return Redaction.mask(text);
    }

    private void readFrames(InputStream stdout) {
        byte[] prefix = (nonce + " ").getBytes(StandardCharsets.US_ASCII);
        try {
            while (true) {
                byte[] line = readLine(stdout);
                if (line.length == 0) {
                    continue;
                }
                if (line.length < prefix.length || !Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length)) {
                    strayOutput.append(line);
                    continue;
                }
                String header = new String(line, StandardCharsets.US_ASCII).trim();
                String[] fields = header.split(" ");
                if (fields.length != 5) {
                    protocolError = "malformed frame header '" + header + "'";
                    break;
                }
                byte[] out = readExactly(stdout, Integer.parseInt(fields[3]));
                byte[] err = readExactly(stdout, Integer.parseInt(fields[4]));
                frames.add(new Frame(Long.parseLong(fields[1]), Integer.parseInt(fields[2]), out, err));
            }
        } catch (NumberFormatException e) {
            protocolError = "malformed frame header: " + e.getMessage();
        } catch (EOFException e) {
            // the shell ended; a waiting run() reports it
        } catch (IOException e) {
            protocolError = closed.get() ? null : "reading from the shell failed: " + e;
        }
        frames.add(Frame.END);
    }

    /** A line without its newline; of a line longer than a header only the start is kept. */
    private byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                if (line.size() > 0) {
                    strayOutput.append(line.toByteArray());
                }
                throw new EOFException();
            }
            if (line.size() < HEADER_MAX) {
                line.write(b);
            }
        }
        return line.toByteArray();
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException();
        }
        return bytes;
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline) + " ...";
    }

    private static String newNonce() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis / 1000.0 + "s";
    }
}
