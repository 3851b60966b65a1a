package dev.provision.engine.connect;

import dev.provision.task.CommandResult;
import dev.provision.task.Shell;
import dev.provision.engine.connect.FrameReader.Frame;
import dev.provision.engine.connect.FrameReader.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One persistent POSIX {@code sh} that reads its script from stdin, locally or over SSH: writes each
 * batch as a {@link ShellScript} with one flush, and matches the {@link FrameReader}'s frames to the
 * commands in sequence, each within the batch's timeout. An answer out of sequence is a protocol
 * error; a timeout, a protocol error or a lost shell kills the shell, since what it would say next
 * can no longer be trusted.
 */
public final class ShellSession implements Connection {

    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final String host;
    private final OutputStream stdin;
    private final Runnable kill;
    private final ShellScript script = ShellScript.withRandomNonce();
    private final FrameReader frames;
    private final OutputTail shellStderr;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int roundTrips;
    private long exitCodesReceived;
    private long outputsReceived;

    private ShellSession(String host, OutputStream stdin, InputStream stdout, InputStream stderr, Runnable kill) {
        this.host = host;
        this.stdin = stdin;
        this.kill = kill;
        this.shellStderr = OutputTail.drain(stderr, "provision-stderr-" + host);
        this.frames = FrameReader.start(stdout, script.nonce(), host);
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
        session.exchange(session.script.prologue(), List.of(":"), List.of(), timeout,
                command -> "the shell on " + host + " did not start within " + seconds(timeout));
        return session;
    }

    @Override
    public List<CommandResult> send(Batch batch) {
        if (batch.closes()) {
            sendLastWords(batch.inOrder());
            return List.of();
        }
        return roundTrip(batch);
    }

    private synchronized List<CommandResult> roundTrip(Batch batch) {
        if (closed.get()) {
            throw new ConnectionException("the connection to " + host + " is closed");
        }
        if (batch.isEmpty()) {
            return List.of();
        }
        roundTrips++;
        Duration timeout = batch.timeout();
        return exchange("", batch.inOrder(), batch.readOnly(), timeout,
                command -> "command timed out after " + seconds(timeout) + " on " + host + ": "
                        + firstLine(Shell.withoutPayloads(command))
                        + " (the connection was closed; the command may still be running on the host)");
    }

    /** The commands go out with the end of the script: the shell runs them before it exits, and close waits for that as always. */
    private synchronized void sendLastWords(List<String> commands) {
        if (!closed.get() && !commands.isEmpty()) {
            try {
                write(script.lastWords(commands));
            } catch (ConnectionException ignored) {
                // the shell is gone; so is whatever the commands were to clean up, or it is found stale later
            }
        }
        close();
    }

    /**
     * Sends the commands after {@code prefix} with one flush, then waits for each exit code in turn
     * (each command gets {@code timeout}), then for the outputs, which the shell sends after the last
     * command of the batch.
     */
    private List<CommandResult> exchange(String prefix, List<String> inOrder, List<String> atOnce, Duration timeout,
                                         Function<String, String> timeoutMessage) {
        write(prefix + script.batch(inOrder, atOnce));
        List<String> commands = new ArrayList<>(inOrder);
        commands.addAll(atOnce);
        int[] exitCodes = new int[commands.size()];
        for (int i = 0; i < commands.size(); i++) {
            String command = commands.get(i);
            exitCodes[i] = expect(false, ++exitCodesReceived, await(timeout, () -> timeoutMessage.apply(command))).exitCode();
        }
        List<CommandResult> results = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            String command = commands.get(i);
            Frame output = expect(true, ++outputsReceived, await(timeout, () -> timeoutMessage.apply(command)));
            results.add(new CommandResult(exitCodes[i],
                    new String(output.stdout(), StandardCharsets.UTF_8), new String(output.stderr(), StandardCharsets.UTF_8)));
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

    /**
     * Ends the script (the shell removes its temp dir and exits), then makes sure the shell is gone.
     * May be called from another thread while a batch waits; that batch then fails.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        frames.closing();
        try {
            stdin.close();
            frames.awaitEnd(CLOSE_GRACE.toMillis());
        } catch (IOException ignored) {
            // the shell is gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill.run();
    }

    private void write(String text) {
        try {
            stdin.write(text.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            abort();
            throw new ConnectionException("the shell on " + host + " is gone" + diagnostics(), e);
        }
    }

    private Frame await(Duration timeout, Supplier<String> timeoutMessage) {
        Frame frame;
        try {
            frame = frames.next(timeout.toNanos());
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
            Problem problem = frames.problem();
            if (problem instanceof Problem.ConnectionLost lost) {
                throw new ConnectionException("lost the connection to " + host + " (" + lost.text()
                        + "); the command may still be running on the host" + diagnostics());
            }
            throw new ConnectionException(problem != null
                    ? "protocol error on " + host + ": " + problem.text() + diagnostics()
                    : "the shell on " + host + " ended before answering" + diagnostics());
        }
        return frame;
    }

    private Frame expect(boolean output, long sequence, Frame frame) {
        if (frame.isOutput() != output || frame.sequence() != sequence) {
            abort();
            throw new ConnectionException("protocol error on " + host + ": " + (frame.isOutput() ? "the output" : "the exit code")
                    + " of command " + frame.sequence() + " arrived where " + (output ? "the output" : "the exit code")
                    + " of " + sequence + " was expected" + diagnostics());
        }
        return frame;
    }

    private void abort() {
        closed.set(true);
        frames.closing();
        kill.run();
    }

    private String diagnostics() {
        shellStderr.awaitEnd(Duration.ofMillis(500));
        String text = "";
        if (!shellStderr.text().isBlank()) {
            text += "; its stderr ends with: " + shellStderr.text().strip();
        }
        if (!frames.strayOutput().isBlank()) {
            text += "; unexpected output: " + frames.strayOutput().strip();
        }
        return text;
    }

    /** The first line that says something (the applier opens each change with a bare "("), and "..." if there is more. */
    private static String firstLine(String text) {
        List<String> lines = text.strip().lines().toList();
        String first = lines.stream().filter(line -> line.chars().anyMatch(Character::isLetterOrDigit)).findFirst().orElse(text.strip());
        return first.strip() + (lines.size() > 1 ? " ..." : "");
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis / 1000.0 + "s";
    }
}
