package dev.provision.engine.connect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The last few kilobytes of a stream, for error messages; draining keeps the writer from blocking on a full pipe. */
final class OutputTail {

    private static final int KEEP = 4096;

    private final byte[] buffer = new byte[KEEP];
    private final CountDownLatch ended = new CountDownLatch(1);
    private int size;

    /** Reads {@code in} to its end on a daemon thread, keeping the tail. */
    static OutputTail drain(InputStream in, String threadName) {
        OutputTail tail = new OutputTail();
        Thread drainer = new Thread(() -> {
            byte[] chunk = new byte[KEEP];
            try {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    tail.append(chunk, n);
                }
            } catch (IOException ignored) {
                // the stream's owner went away; what we have is the tail
            } finally {
                tail.ended.countDown();
            }
        }, threadName);
        drainer.setDaemon(true);
        drainer.start();
        return tail;
    }

    void append(byte[] bytes) {
        append(bytes, bytes.length);
        append(new byte[] {'\n'}, 1);
    }

    private synchronized void append(byte[] bytes, int length) {
        int take = Math.min(length, KEEP);
        int drop = Math.max(0, size + take - KEEP);
        System.arraycopy(buffer, drop, buffer, 0, size - drop);
        size -= drop;
        System.arraycopy(bytes, length - take, buffer, size, take);
        size += take;
    }

    /** Gives a dying process a moment to finish writing its last words. */
    void awaitEnd(Duration timeout) {
        try {
            ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized String text() {
        return new String(buffer, 0, size, StandardCharsets.UTF_8);
    }
}
