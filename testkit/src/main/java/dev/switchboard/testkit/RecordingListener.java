package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A backplane listener that queues what it receives, for assertions with timeouts (never sleeps).
 * Messages are compared as UTF-8 strings so failures read well.
 */
public final class RecordingListener implements Consumer<byte[]> {
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();

    @Override
    public void accept(byte[] message) {
        received.add(message);
    }

    /** @return every message received and not yet taken, as strings, in arrival order; takes them */
    public java.util.List<String> drain() {
        java.util.List<byte[]> all = new java.util.ArrayList<>();
        received.drainTo(all);
        return all.stream().map(m -> new String(m, StandardCharsets.UTF_8)).toList();
    }

    /**
     * @param timeout how long to wait
     * @return the next message received, as a string
     * @throws AssertionError if none arrives in time
     */
    public String next(Duration timeout) {
        try {
            byte[] m = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no message within " + timeout);
            }
            return new String(m, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Skips messages until one equals {@code expected} (a node may see its own messages and those
     * of earlier tests' nodes on a shared server).
     *
     * @param expected the message to wait for
     * @param timeout how long to wait in all
     */
    public void awaitMessage(String expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("\"" + abbreviate(expected) + "\" not received within " + timeout);
            }
            if (next(Duration.ofNanos(left)).equals(expected)) {
                return;
            }
        }
    }

    /**
     * For at-most-once paths that may lose messages for a while (a fail-over, a queue that overflowed):
     * publishes a fresh message, waits {@code perAttempt} for it, and tries again until one arrives.
     *
     * @param publish sends the given message from the other node
     * @param prefix the start of each message, for readable failures
     * @param timeout how long to keep trying in all
     * @param perAttempt how long to wait for each message
     * @param what a description for the failure message
     */
    public void awaitOneThrough(Consumer<byte[]> publish, String prefix, Duration timeout, Duration perAttempt,
                                String what) {
        Await.until(timeout, () -> {
            String m = prefix + "-" + UUID.randomUUID();
            publish.accept(m.getBytes(StandardCharsets.UTF_8));
            try {
                awaitMessage(m, perAttempt);
                return true;
            } catch (AssertionError notYet) {
                return false;
            }
        }, what);
    }

    /** @param message a message that must be the next one @param timeout how long to wait */
    public void assertNext(String message, Duration timeout) {
        assertThat(abbreviate(next(timeout))).isEqualTo(abbreviate(message));
    }

    /** @return how many messages are queued and not yet taken */
    public int queued() {
        return received.size();
    }

    /** Drops every queued message. */
    public void clear() {
        received.clear();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…(" + s.length() + " chars)";
    }
}
