package dev.switchboard.bench.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * A connection that makes requests: {@link #call} waits for a reply (join, stats), {@link #fire} only
 * counts it (the publisher's stream of {@code publish} requests), so the hot path parses no JSON.
 */
class ControlSocket extends BenchSocket {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] ID = Frames.key("id");
    private static final byte[] ERROR = Frames.key("error");

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    /** Replies to {@link #fire}d requests. */
    final AtomicLong firedReplies = new AtomicLong();

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
        request(ids.incrementAndGet(), event, json);
    }

    @Override
    void onReply(ByteBuffer frame) {
        long id = Frames.longField(frame, ID);
        CompletableFuture<JsonNode> waiting = calls.remove(id);
        if (waiting == null) {
            firedReplies.incrementAndGet();
            if (Frames.has(frame, ERROR)) {
                errors.incrementAndGet();
            }
            return;
        }
        try {
            JsonNode reply = MAPPER.readTree(Frames.text(frame));
            if (reply.has("error")) {
                waiting.completeExceptionally(new IllegalStateException(reply.get("error").toString()));
            } else {
                waiting.complete(reply.get("data"));
            }
        } catch (IOException e) {
            waiting.completeExceptionally(new UncheckedIOException(e));
        }
    }
}
