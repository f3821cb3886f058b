package dev.switchboard.bench.generator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * A connection that makes requests: {@link #call} waits for a reply (join, stats), {@link #fire} only
 * counts it and, when given a stamp, records the time to its reply (the publisher's acknowledgements), so
 * the hot path parses no JSON.
 */
class ControlSocket extends BenchSocket {
    private static final byte[] ERROR = Frames.key("error");
    /** Fired requests in flight are far fewer than this (the window, or a few ms at the paced rate). */
    private static final int STAMPS = 1 << 16;

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final long[] firedAt = new long[STAMPS];
    /** Replies to {@link #fire}d requests. */
    final AtomicLong firedReplies = new AtomicLong();
    /** Time from a stamped {@link #fire} to its reply, in ns; null: not recorded. */
    volatile Recorder ackLatencies;
    /** Only replies to requests with a greater id are recorded in {@link #ackLatencies} (not warm-up's). */
    volatile long recordAcksAfterId;

    ControlSocket(AtomicLong errors) {
        super(errors);
    }

    /**
     * @param event the request event
     * @param json the data as JSON text
     * @return the reply's {@code data}; fails with the reply's error text
     */
    final CompletableFuture<JsonNode> call(String event, String json) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        calls.put(id, reply);
        request(id, event, json);
        return reply;
    }

    /**
     * Blocking {@link #call}, for the scenario's own thread.
     *
     * @param event the request event
     * @param json the data as JSON text
     * @param timeout how long to wait
     * @return the reply's data
     * @throws IllegalStateException on an error reply or a timeout
     */
    final JsonNode await(String event, String json, Duration timeout) {
        try {
            return call(event, json).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + event, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("request " + event + " failed: " + e, e);
        }
    }

    /** @param event the request event @param json the data; the reply is only counted */
    final void fire(String event, String json) {
        fire(event, json, 0);
    }

    /**
     * @param event the request event
     * @param json the data
     * @param stamp {@code System.nanoTime()} the request counts from (its intended send time), or 0
     */
    final void fire(String event, String json, long stamp) {
        long id = ids.incrementAndGet();
        firedAt[(int) (id & (STAMPS - 1))] = stamp;
        request(id, event, json);
    }

    /** @return the id of the last request sent ({@link #call} or {@link #fire}) */
    final long lastRequestId() {
        return ids.get();
    }

    @Override
    void onReply(ByteBuffer frame) {
        long now = System.nanoTime();
        long id = dialect.replyId(frame);
        CompletableFuture<JsonNode> waiting = calls.remove(id);
        if (waiting == null) {
            firedReplies.incrementAndGet();
            if (Frames.has(frame, ERROR)) {
                errors.incrementAndGet();
            }
            long stamp = id == Long.MIN_VALUE ? 0 : firedAt[(int) (id & (STAMPS - 1))];
            Recorder acks = ackLatencies;
            if (stamp != 0 && acks != null && id > recordAcksAfterId) {
                acks.recordValue(Math.max(0, now - stamp));
            }
            return;
        }
        try {
            waiting.complete(dialect.replyData(frame));
        } catch (IOException e) {
            waiting.completeExceptionally(new UncheckedIOException(e));
        } catch (IllegalStateException e) {
            waiting.completeExceptionally(e);
        }
    }
}
