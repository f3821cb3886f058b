package dev.switchboard.backplane.redis.internal;

import dev.switchboard.BackplaneException;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.spi.HistoryRead;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Durable-topic history on Redis Streams. Per topic a stream {@code <prefix>:history:{<topic>}} whose entry
 * ids are the offsets ({@code <offset>-0}, fields {@code t}: Redis server time in ms, {@code m}: the
 * message) and a hash {@code <prefix>:history:{<topic>}:meta} with the epoch and the last offset. The hash
 * tag puts both keys in one Redis Cluster slot, so each call is one Lua script on one server: appends from
 * any number of nodes get consecutive offsets, and a read sees the position and the entries of one moment.
 * A missing meta hash (a new topic, or a Redis that restarted empty) starts a new epoch at offset 1.
 *
 * <p>Every call sends a random value (the epoch to start, should the topic have none) that the script echoes
 * as the last element of its answer. An answer that does not echo it belongs to another command: the
 * connection is out of step with Redis (a class of client bugs after network cuts), and trusting, say, an
 * older read's position would make a node skip offsets it never delivered. Such a call fails and the link
 * is reported (see the constructor), so that it is replaced rather than trusted.
 *
 * <p>Never blocks; while Redis is unreachable every call fails at once with a {@link BackplaneException}.
 */
public final class RedisHistory implements History {
    private static final LuaScript APPEND = LuaScript.load("history-append.lua");
    private static final LuaScript READ = LuaScript.load("history-read.lua");
    private static final byte[] ZERO = {'0'};

    private final Supplier<Link> link;
    private final Supplier<Throwable> lastError;
    private final String prefix;
    private final byte[] ttlMillis;
    private final Consumer<Link> outOfStep;

    /**
     * @param link the current link, or null while not connected
     * @param lastError the last connection failure, for error messages
     * @param prefix the key prefix
     * @param ttlMillis idle expiry of a topic's keys, 0 for none
     * @param outOfStep told about a link that answered a call with another command's answer
     */
    public RedisHistory(Supplier<Link> link, Supplier<Throwable> lastError, String prefix, long ttlMillis,
                        Consumer<Link> outOfStep) {
        this.link = link;
        this.lastError = lastError;
        this.prefix = prefix;
        this.ttlMillis = ascii(Long.toString(ttlMillis));
        this.outOfStep = outOfStep;
    }

    @Override
    public CompletableFuture<StreamPosition> append(String topic, byte[] message, Retention retention) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(retention, "retention");
        byte[] token = newEpoch();
        byte[][] args = {message, ascii(Integer.toString(retention.maxMessages())),
            ascii(Long.toString(retention.maxAgeMillis())), token, ttlMillis};
        return run(topic, "append", APPEND, args, token, 2,
                r -> new StreamPosition(text(r.get(0)), (Long) r.get(1)));
    }

    @Override
    public CompletableFuture<HistoryRead> read(String topic, long afterOffset, int limit) {
        boolean none = limit <= 0 || afterOffset == Long.MAX_VALUE;
        byte[] first = ascii(Math.max(afterOffset, 0) + (none ? 0 : 1) + "-0");
        byte[] count = none ? ZERO : ascii(Integer.toString(limit));
        byte[] token = newEpoch();
        return run(topic, "read", READ, new byte[][] {first, count, token, ttlMillis}, token, 3,
                RedisHistory::toRead);
    }

    /**
     * @param token the random argument the script echoes
     * @param echoAt where in the script's answer the echo is
     */
    private <T> CompletableFuture<T> run(String topic, String what, LuaScript script, byte[][] args, byte[] token,
                                         int echoAt, Function<List<Object>, T> result) {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("empty topic"));
        }
        Link l = link.get();
        if (l == null) {
            return CompletableFuture.failedFuture(new BackplaneException(
                    "history " + what + " failed: Redis is not connected", lastError.get()));
        }
        try {
            return eval(l, script, keys(topic), args).thenApply(r -> {
                if (!echoes(r, echoAt, token)) {
                    outOfStep.accept(l);
                    throw new IllegalStateException("Redis answered another command (the connection is out of "
                            + "step); reconnecting");
                }
                return result.apply(r);
            })
                    .exceptionallyCompose(e -> CompletableFuture.failedFuture(new BackplaneException(
                            "history " + what + " of \"" + topic + "\" failed: " + cause(e), cause(e))));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new BackplaneException("history " + what + " failed: " + e, e));
        }
    }

    private static CompletableFuture<List<Object>> eval(Link l, LuaScript s, byte[][] keys, byte[][] args) {
        return l.commands().<List<Object>>evalsha(s.sha(), ScriptOutputType.MULTI, keys, args).toCompletableFuture()
                .exceptionallyCompose(e -> cause(e) instanceof RedisNoScriptException
                        // Not in this server's script cache (a restart, a new cluster node): send it once.
                        ? l.commands().<List<Object>>eval(s.source(), ScriptOutputType.MULTI, keys, args)
                                .toCompletableFuture()
                        : CompletableFuture.failedFuture(e));
    }

    /** @return true when the script's answer carries this call's token where the script puts it */
    static boolean echoes(Object answer, int at, byte[] token) {
        return answer instanceof List<?> r && r.size() == at + 1 && r.get(at) instanceof byte[] b
                && Arrays.equals(b, token);
    }

    @SuppressWarnings("unchecked")
    private static HistoryRead toRead(List<Object> r) {
        StreamPosition latest = new StreamPosition(text(r.get(0)), (Long) r.get(1));
        List<HistoryEntry> entries = new ArrayList<>();
        for (Object o : (List<Object>) r.get(2)) {
            List<Object> entry = (List<Object>) o;
            String id = text(entry.get(0));
            long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
            List<Object> fields = (List<Object>) entry.get(1);
            long timestamp = 0;
            byte[] message = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String field = text(fields.get(i));
                if (field.equals("t")) {
                    timestamp = Long.parseLong(text(fields.get(i + 1)));
                } else if (field.equals("m")) {
                    message = (byte[]) fields.get(i + 1);
                }
            }
            entries.add(new HistoryEntry(offset, timestamp, message == null ? new byte[0] : message));
        }
        return new HistoryRead(latest, entries);
    }

    /**
     * @param topic a topic
     * @return its stream and meta keys; braces and {@code %} in the topic are escaped so that the hash tag
     *     is always exactly the topic
     */
    byte[][] keys(String topic) {
        String tag = topic.replace("%", "%25").replace("{", "%7B").replace("}", "%7D");
        String stream = prefix + ":history:{" + tag + "}";
        return new byte[][] {stream.getBytes(StandardCharsets.UTF_8),
                (stream + ":meta").getBytes(StandardCharsets.UTF_8)};
    }

    private static byte[] newEpoch() {
        return ascii(UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    private static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String text(Object bulk) {
        return bulk instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(bulk);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
