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
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The protocol spoken over one persistent POSIX {@code sh} that reads its script from stdin, locally
 * or over SSH. Each command runs as {@code ( eval 'command' ) </dev/null} with stdout and stderr in
 * files of its own ({@code o7}, {@code e7}) in a private temp dir, and the shell then prints a header
 * line: this session's nonce, the command's sequence number and its exit code. After the last command
 * of a batch, one {@code cat} sends every output file of the batch, each followed by a delimiter line
 * holding the nonce (from a file {@code D} written when the session starts), and one {@code rm}
 * removes them. So a command costs one process, its subshell ({@code printf} and {@code [} are
 * builtins), where copying, counting and printing its files took five more; see BENCHMARKS.md.
 * Read-only commands (facts) are started in the background a group at a time and awaited in order,
 * so a batch of facts takes about as long as its slowest members rather than their sum.
 *
 * <p>The nonce is 128 random bits, kept by the shell in two halves so that not even a command that
 * prints the shell's variables shows it whole; output is binary-safe unless it holds the whole nonce
 * at the start of a line. Anything else the shell prints is skipped; an answer out of sequence is a
 * protocol error. Because the command is eval'd in a subshell, a syntax error, {@code exit} or
 * {@code cd} in it cannot touch the session. A background process a command leaves behind writes into
 * that command's files, which have been sent already, never into a later answer. A daemon thread
 * reads answers as they come, so output of any size flows while commands are still being written.
 */
public final class ShellSession implements Connection {

    private static final String DIR = "\"$__provision_d\"";
    private static final String NONCE_ARGS = "\"$__provision_a\" \"$__provision_b\"";
    /** Commands whose outputs one {@code cat} sends; far below any argument limit. */
    private static final int FILES_PER_CAT = 256;
    private static final int HEADER_MAX = 200;
    /**
     * Read-only commands running at once: enough to keep a host's cores busy while one command waits
     * on systemd or PostgreSQL, few enough not to swamp a small host.
     */
    static final int CONCURRENT_READS = 8;
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
    private volatile String connectionLost;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Consumer<String> commandLogger = line -> { };
    private volatile int roundTrips;
    /** Commands framed so far; the last one's sequence number. */
    private long sent;
    private long exitCodesReceived;
    private long outputsReceived;

    /** An exit code (output null) or the output of a command, by its sequence number. */
    private record Frame(long sequence, int exitCode, byte[] stdout, byte[] stderr) {
        static final Frame END = new Frame(-1, -1, null, null);

        boolean isOutput() {
            return stdout != null;
        }
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
        session.exchange(session.prologue(), List.of(":"), List.of(), timeout,
                command -> "the shell on " + host + " did not start within " + seconds(timeout));
        return session;
    }

    @Override
    public synchronized void logCommands(Consumer<String> logger) {
        this.commandLogger = logger;
    }

    /** Writes all commands with one flush, then reads their frames: one round trip. */
    @Override
    public List<CommandResult> run(List<String> commands, Duration timeout) {
        return roundTrip(commands, List.of(), timeout);
    }

    /** The commands run at once, at most {@link #CONCURRENT_READS} at a time; their answers come in order as always. */
    @Override
    public List<CommandResult> runReadOnly(List<String> commands, Duration timeout) {
        return roundTrip(List.of(), commands, timeout);
    }

    @Override
    public List<CommandResult> runThenRead(String first, List<String> commands, Duration timeout) {
        return roundTrip(List.of(first), commands, timeout);
    }

    /** {@code inOrder} one after the other, then {@code atOnce} side by side; the results of all, in that order. */
    private synchronized List<CommandResult> roundTrip(List<String> inOrder, List<String> atOnce, Duration timeout) {
        List<String> commands = Stream.concat(inOrder.stream(), atOnce.stream()).toList();
        if (closed.get()) {
            throw new ConnectionException("the connection to " + host + " is closed");
        }
        if (commands.isEmpty()) {
            return List.of();
        }
        roundTrips++;
        List<CommandResult> results = exchange("", inOrder, atOnce, timeout,
                command -> "command timed out after " + seconds(timeout) + " on " + host + ": "
                        + firstLine(Redaction.forDisplay(command))
                        + " (the connection was closed; the command may still be running on the host)");
        for (int i = 0; i < commands.size(); i++) {
            commandLogger.accept("[exit " + results.get(i).exitCode() + "] " + Redaction.forDisplay(commands.get(i)));
        }
        return results;
    }

    /**
     * Sends the commands after {@code prefix} with one flush, then waits for each exit code in turn
     * (each command gets {@code timeout}), then for the outputs, which the shell sends after the last
     * command of the batch. The commands {@code atOnce} run after those {@code inOrder}, in the
     * background, in groups of at most {@link #CONCURRENT_READS}, each group awaited in order.
     */
    private List<CommandResult> exchange(String prefix, List<String> inOrder, List<String> atOnce, Duration timeout,
                                         Function<String, String> timeoutMessage) {
        long first = sent + 1;
        StringBuilder script = new StringBuilder(prefix);
        inOrder.forEach(command -> script.append(framed(command)));
        for (int from = 0; from < atOnce.size(); from += CONCURRENT_READS) {
            script.append(framedAtOnce(atOnce.subList(from, Math.min(atOnce.size(), from + CONCURRENT_READS))));
        }
        List<String> commands = Stream.concat(inOrder.stream(), atOnce.stream()).toList();
        script.append(epilogue(first, sent));
        send(script.toString());
        int[] exitCodes = new int[commands.size()];
        for (int i = 0; i < commands.size(); i++) {
            String command = commands.get(i);
            exitCodes[i] = expect(false, ++exitCodesReceived, await(timeout, () -> timeoutMessage.apply(command))).exitCode;
        }
        List<CommandResult> results = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            String command = commands.get(i);
            Frame output = expect(true, ++outputsReceived, await(timeout, () -> timeoutMessage.apply(command)));
            results.add(new CommandResult(exitCodes[i],
                    new String(output.stdout, StandardCharsets.UTF_8), new String(output.stderr, StandardCharsets.UTF_8)));
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

    /** The temp dir, its removal at exit, the nonce in two halves, and the delimiter file D. */
    private String prologue() {
        return "__provision_a=" + nonce.substring(0, 16) + " __provision_b=" + nonce.substring(16) + "\n"
                + "__provision_d=$(mktemp -d) && printf '\\n%s%s\\n' " + NONCE_ARGS + " >" + DIR + "/D || exit 1\n"
                + "trap 'rm -rf " + DIR + "' EXIT\n"
                + "trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM\n";
    }

    /** One command: its subshell with fresh output files, then its header line with the exit code. */
    private String framed(String command) {
        long n = ++sent;
        return subshell(command, n) + "; " + header(n) + "\n";
    }

    /** Commands started together in the background, then awaited in order, each followed by its header line. */
    private String framedAtOnce(List<String> commands) {
        StringBuilder script = new StringBuilder();
        long first = sent + 1;
        for (String command : commands) {
            long n = ++sent;
            script.append(subshell(command, n)).append(" & __provision_p").append(n - first).append("=$!\n");
        }
        for (long n = first; n <= sent; n++) {
            script.append("wait \"$__provision_p").append(n - first).append("\"; ").append(header(n)).append('\n');
        }
        return script.toString();
    }

    private static String subshell(String command, long n) {
        return "( eval '" + command.replace("'", "'\\''") + "' ) </dev/null >" + file("o", n) + " 2>" + file("e", n);
    }

    /** The header line of command {@code n}, with the exit code of what ran last ({@code $?}). */
    private static String header(long n) {
        return "printf '\\n%s%s " + n + " %s\\n' " + NONCE_ARGS + " $?";
    }

    /**
     * After the batch's last command: the outputs of commands {@code first..last} (stdout, D, stderr,
     * D for each) and the removal of their files. If a command removed D, the shell says so instead.
     */
    private static String epilogue(long first, long last) {
        StringBuilder script = new StringBuilder("if [ -s " + DIR + "/D ]; then printf '\\n%s%s out " + first + " " + last
                + "\\n' " + NONCE_ARGS + "\n");
        for (long from = first; from <= last; from += FILES_PER_CAT) {
            script.append("cat");
            for (long n = from; n <= Math.min(last, from + FILES_PER_CAT - 1); n++) {
                script.append(' ').append(file("o", n)).append(' ').append(DIR).append("/D ")
                        .append(file("e", n)).append(' ').append(DIR).append("/D");
            }
            script.append('\n');
        }
        script.append("else printf '\\n%s%s lost\\n' ").append(NONCE_ARGS).append("; fi\n");
        for (long from = first; from <= last; from += FILES_PER_CAT) {
            script.append("rm -f");
            for (long n = from; n <= Math.min(last, from + FILES_PER_CAT - 1); n++) {
                script.append(' ').append(file("o", n)).append(' ').append(file("e", n));
            }
            script.append('\n');
        }
        return script.toString();
    }

    private static String file(String stream, long sequence) {
        return "\"$__provision_d/" + stream + sequence + "\"";
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
            if (connectionLost != null) {
                throw new ConnectionException("lost the connection to " + host + " (" + connectionLost
                        + "); the command may still be running on the host" + diagnostics());
            }
            throw new ConnectionException(protocolError != null
                    ? "protocol error on " + host + ": " + protocolError + diagnostics()
                    : "the shell on " + host + " ended before answering" + diagnostics());
        }
        return frame;
    }

    private Frame expect(boolean output, long sequence, Frame frame) {
        if (frame.isOutput() != output || frame.sequence != sequence) {
            abort();
            throw new ConnectionException("protocol error on " + host + ": " + (frame.isOutput() ? "the output" : "the exit code")
                    + " of command " + frame.sequence + " arrived where " + (output ? "the output" : "the exit code")
                    + " of " + sequence + " was expected" + diagnostics());
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
        byte[] delimiter = ("\n" + nonce + "\n").getBytes(StandardCharsets.US_ASCII);
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
                if (fields.length == 3) {
                    frames.add(new Frame(Long.parseLong(fields[1]), Integer.parseInt(fields[2]), null, null));
                } else if (fields.length == 4 && fields[1].equals("out")) {
                    for (long n = Long.parseLong(fields[2]), last = Long.parseLong(fields[3]); n <= last; n++) {
                        byte[] out = readUntil(stdout, delimiter);
                        byte[] err = readUntil(stdout, delimiter);
                        frames.add(new Frame(n, 0, out, err));
                    }
                } else if (fields.length == 2 && fields[1].equals("lost")) {
                    protocolError = "a command removed the session's temp dir, so the outputs of its batch are lost";
                    break;
                } else {
                    protocolError = "malformed frame header '" + header + "'";
                    break;
                }
            }
        } catch (NumberFormatException e) {
            protocolError = "malformed frame header: " + e.getMessage();
        } catch (EOFException e) {
            // the shell ended; a waiting run() reports it
        } catch (IOException e) {
            connectionLost = closed.get() ? null : e.getMessage();
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

    /**
     * The bytes before the next {@code delimiter}, which is consumed. Knuth-Morris-Pratt, so bytes that
     * only start like the delimiter (a newline and part of the nonce) stay in the output.
     */
    static byte[] readUntil(InputStream in, byte[] delimiter) throws IOException {
        int[] fallback = new int[delimiter.length];
        for (int i = 1, k = 0; i < delimiter.length; i++) {
            while (k > 0 && delimiter[i] != delimiter[k]) {
                k = fallback[k - 1];
            }
            if (delimiter[i] == delimiter[k]) {
                k++;
            }
            fallback[i] = k;
        }
        byte[] bytes = new byte[256];
        int size = 0;
        int matched = 0;
        while (matched < delimiter.length) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            while (matched > 0 && (byte) b != delimiter[matched]) {
                matched = fallback[matched - 1];
            }
            if ((byte) b == delimiter[matched]) {
                matched++;
            }
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, size * 2);
            }
            bytes[size++] = (byte) b;
        }
        return Arrays.copyOf(bytes, size - delimiter.length);
    }

    /** The first line that says something (the applier opens each change with a bare "("), and "..." if there is more. */
    private static String firstLine(String text) {
        List<String> lines = text.strip().lines().toList();
        String first = lines.stream().filter(line -> line.chars().anyMatch(Character::isLetterOrDigit)).findFirst().orElse(text.strip());
        return first.strip() + (lines.size() > 1 ? " ..." : "");
    }

    private static String newNonce() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis / 1000.0 + "s";
    }
}
