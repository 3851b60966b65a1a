package dev.provision.engine.connect;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads what the shell prints, on a daemon thread of its own, into {@link Frame}s: header lines
 * that start with the session's nonce, and the outputs of a batch after its {@code out} header, each
 * ended by the nonce's delimiter line. So output of any size flows while commands are still being
 * written. Anything else the shell prints is kept as stray output for error messages. When the
 * stream ends, {@link Frame#END} follows the last frame, and {@link #problem} says why if it was no
 * plain end.
 */
final class FrameReader {

    private static final int HEADER_MAX = 200;

    /** An exit code (output null) or the output of a command, by its sequence number. */
    record Frame(long sequence, int exitCode, byte[] stdout, byte[] stderr) {
        static final Frame END = new Frame(-1, -1, null, null);

        boolean isOutput() {
            return stdout != null;
        }
    }

    /** Why the frames ended early. */
    sealed interface Problem {
        String text();

        record Protocol(String text) implements Problem {
        }

        record ConnectionLost(String text) implements Problem {
        }
    }

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final OutputTail strayOutput = new OutputTail();
    private final Thread thread;
    private volatile Problem problem;
    private volatile boolean closing;

    private FrameReader(InputStream stdout, String nonce, String host) {
        this.thread = new Thread(() -> read(new BufferedInputStream(stdout, 65536), nonce), "provision-frames-" + host);
        thread.setDaemon(true);
    }

    static FrameReader start(InputStream stdout, String nonce, String host) {
        FrameReader reader = new FrameReader(stdout, nonce, host);
        reader.thread.start();
        return reader;
    }

    /** The next frame, or null when none came within the time. */
    Frame next(long nanos) throws InterruptedException {
        return frames.poll(nanos, TimeUnit.NANOSECONDS);
    }

    /** A read that fails from now on is the end the session asked for, not a lost connection. */
    void closing() {
        closing = true;
    }

    void awaitEnd(long millis) throws InterruptedException {
        thread.join(millis);
    }

    Problem problem() {
        return problem;
    }

    String strayOutput() {
        return strayOutput.text();
    }

    private void read(InputStream stdout, String nonce) {
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
                    problem = new Problem.Protocol("a command removed the session's temp dir, so the outputs of its batch are lost");
                    break;
                } else {
                    problem = new Problem.Protocol("malformed frame header '" + header + "'");
                    break;
                }
            }
        } catch (NumberFormatException e) {
            problem = new Problem.Protocol("malformed frame header: " + e.getMessage());
        } catch (EOFException e) {
            // the shell ended; a waiting session reports it
        } catch (IOException e) {
            if (!closing) {
                problem = new Problem.ConnectionLost(e.getMessage());
            }
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
}
