package dev.switchboard.backplane.nats.internal;

import dev.switchboard.BackplaneException;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.spi.HistoryRead;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Durable-topic history on JetStream: one stream per topic ({@code <streamPrefix><topic>}, subject
 * {@code <namespace>.history.<topic>}, limits {@code max_msgs} and {@code max_age} from the topic's retention).
 * The stream sequence is the offset, so appends from any number of nodes get consecutive offsets from the
 * server; the epoch is the stream's creation time, which changes when the stream is deleted and made again
 * (or the server lost its store). A purge keeps the sequence going: the purged offsets read as trimmed.
 *
 * <p>Appends are asynchronous JetStream publishes; stream lookups and creation (jnats' blocking management
 * API) run on a small executor, so no method blocks its caller. What is known about each stream is cached
 * until {@link #forget()} (called after every reconnect, when the server may have lost its store).
 */
public final class JetStreamHistory implements History {
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int NO_MESSAGE_FOUND = 10037;

    private final Supplier<Connection> connection;
    private final Names names;
    private final Limits defaults;
    private final Duration timeout;
    private final ExecutorService executor;
    private final ConcurrentHashMap<String, CompletableFuture<Known>> streams = new ConcurrentHashMap<>();

    /** Fixed stream settings from the options. */
    public record Limits(StorageType storage, int replicas, Duration maxAge, long maxBytes) { }

    private record Known(String epoch, long maxMsgs, Duration maxAge) {
        boolean fits(Retention r, Duration defaultAge) {
            return r == null || maxMsgs == r.maxMessages() && Objects.equals(maxAge, age(r, defaultAge));
        }
    }

    /**
     * @param connection the connection, or null while there is none
     * @param names subject and stream names
     * @param limits fixed stream settings
     * @param timeout limit of each JetStream call
     * @param executor runs jnats' blocking management calls
     */
    public JetStreamHistory(Supplier<Connection> connection, Names names, Limits limits, Duration timeout,
                            ExecutorService executor) {
        this.connection = connection;
        this.names = names;
        this.defaults = limits;
        this.timeout = timeout;
        this.executor = executor;
    }

    /** Forgets what it knew about streams: the server may have restarted without them. */
    public void forget() {
        streams.clear();
    }

    @Override
    public CompletableFuture<StreamPosition> append(String topic, byte[] message, Retention retention) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(retention, "retention");
        return connected("append").thenCompose(c -> append(c, topic, message, retention, true))
                .exceptionallyCompose(e -> failed("append to " + topic, e));
    }

    private CompletableFuture<StreamPosition> append(Connection c, String topic, byte[] message, Retention retention,
                                                     boolean again) {
        return stream(c, topic, retention).thenCompose(s -> {
            try {
                PublishOptions expect = PublishOptions.builder().expectedStream(names.stream(topic))
                        .streamTimeout(timeout).build();
                return c.jetStream(jsOptions()).publishAsync(names.historySubject(topic), message, expect)
                        .thenApply(ack -> new StreamPosition(s.epoch(), ack.getSeqno()));
            } catch (Exception e) {
                return CompletableFuture.<StreamPosition>failedFuture(e);
            }
        }).exceptionallyCompose(e -> {
            streams.remove(topic); // it may be gone: look it up again
            // No stream listens (deleted, or a server that lost its store): nothing was stored, so once more.
            return again && noResponders(e) ? append(c, topic, message, retention, false)
                    : CompletableFuture.failedFuture(e);
        });
    }

    private static boolean noResponders(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No Responders")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public CompletableFuture<HistoryRead> read(String topic, long afterOffset, int limit) {
        return connected("read").thenCompose(c -> stream(c, topic, null).thenComposeAsync(known -> {
            StreamInfo info = call(() -> c.jetStreamManagement(jsOptions()).getStreamInfo(names.stream(topic)));
            String epoch = epoch(info.getCreateTime().toInstant());
            StreamPosition latest = new StreamPosition(epoch, info.getStreamState().getLastSequence());
            long from = Math.max(afterOffset + 1, info.getStreamState().getFirstSequence());
            if (limit <= 0 || afterOffset == Long.MAX_VALUE || from > latest.offset()) {
                return CompletableFuture.completedFuture(new HistoryRead(latest, List.of()));
            }
            long to = Math.min(latest.offset(), from + limit - 1); // the lowest retained offsets first
            if (from > to) {
                return CompletableFuture.completedFuture(new HistoryRead(latest, List.of()));
            }
            List<CompletableFuture<Message>> gets = new ArrayList<>();
            for (long seq = from; seq <= to; seq++) {
                gets.add(c.requestWithTimeout("$JS.API.STREAM.MSG.GET." + names.stream(topic),
                        ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.US_ASCII), timeout));
            }
            return CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new))
                    .thenApply(v -> new HistoryRead(latest, entries(gets)));
        }, executor)).exceptionallyCompose(e -> failed("read of " + topic, e));
    }

    /** Entries in order; a message trimmed between the stream lookup and the get ends the contiguous run. */
    private static List<HistoryEntry> entries(List<CompletableFuture<Message>> gets) {
        List<HistoryEntry> entries = new ArrayList<>();
        for (CompletableFuture<Message> get : gets) {
            MessageInfo m = new MessageInfo(get.join());
            if (m.hasError() && m.getApiErrorCode() == NO_MESSAGE_FOUND) {
                if (entries.isEmpty()) {
                    continue;
                }
                break;
            }
            if (m.hasError()) {
                throw new CompletionException(new JetStreamApiException(m));
            }
            entries.add(new HistoryEntry(m.getSeq(), m.getTime().toInstant().toEpochMilli(),
                    m.getData() == null ? new byte[0] : m.getData()));
        }
        return entries;
    }

    private CompletableFuture<Connection> connected(String what) {
        Connection c = connection.get();
        if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
            return CompletableFuture.failedFuture(new BackplaneException("history " + what
                    + " failed: NATS is not connected", null));
        }
        return CompletableFuture.completedFuture(c);
    }

    /** The topic's stream, made or updated to the retention's limits when needed (null: any limits). */
    private CompletableFuture<Known> stream(Connection c, String topic, Retention retention) {
        CompletableFuture<Known> f = streams.compute(topic, (k, old) -> old != null && !old.isCompletedExceptionally()
                && (!old.isDone() || old.join().fits(retention, defaults.maxAge())) ? old : load(c, topic, retention));
        return f.thenCompose(s -> {
            if (s.fits(retention, defaults.maxAge())) {
                return CompletableFuture.completedFuture(s);
            }
            CompletableFuture<Known> again = load(c, topic, retention);
            streams.put(topic, again);
            return again;
        });
    }

    private CompletableFuture<Known> load(Connection c, String topic, Retention retention) {
        return CompletableFuture.supplyAsync(() -> {
            JetStreamManagement jsm = call(() -> c.jetStreamManagement(jsOptions()));
            String name = names.stream(topic);
            StreamInfo info = find(jsm, name);
            if (info == null) {
                StreamConfiguration want = StreamConfiguration.builder().name(name)
                        .subjects(names.historySubject(topic)).storageType(defaults.storage())
                        .replicas(defaults.replicas()).discardPolicy(DiscardPolicy.Old).maxBytes(defaults.maxBytes())
                        .maxMessages(retention == null ? -1 : retention.maxMessages())
                        .maxAge(orZero(age(retention, defaults.maxAge()))).build();
                try {
                    info = jsm.addStream(want);
                } catch (JetStreamApiException | java.io.IOException e) {
                    info = find(jsm, name); // another node made it first, with other limits
                    if (info == null) {
                        throw new CompletionException(e);
                    }
                }
            }
            StreamConfiguration have = info.getConfiguration();
            if (retention != null && (have.getMaxMsgs() != retention.maxMessages()
                    || !Objects.equals(zeroAsNull(have.getMaxAge()), age(retention, defaults.maxAge())))) {
                StreamConfiguration changed = StreamConfiguration.builder(have).maxMessages(retention.maxMessages())
                        .maxAge(orZero(age(retention, defaults.maxAge()))).build();
                info = call(() -> jsm.updateStream(changed));
                have = info.getConfiguration();
            }
            if (!hasCreateTime(info)) {
                // Two nodes adding the same stream at once: the server may answer the second without the stream's
                // creation time, which names the epoch; read it from the stream itself.
                StreamInfo again = find(jsm, name);
                info = again != null ? again : info;
            }
            return new Known(epoch(info.getCreateTime().toInstant()), have.getMaxMsgs(), zeroAsNull(have.getMaxAge()));
        }, executor);
    }

    private static boolean hasCreateTime(StreamInfo info) {
        return info.getCreateTime() != null && info.getCreateTime().toInstant().getEpochSecond() > 0;
    }

    private StreamInfo find(JetStreamManagement jsm, String name) {
        try {
            return jsm.getStreamInfo(name);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return null;
            }
            throw new CompletionException(e);
        } catch (java.io.IOException e) {
            throw new CompletionException(e);
        }
    }

    private JetStreamOptions jsOptions() {
        return JetStreamOptions.builder().requestTimeout(timeout).build();
    }

    private static Duration age(Retention r, Duration defaultAge) {
        return r != null && r.maxAge() != null ? r.maxAge() : defaultAge;
    }

    private static Duration orZero(Duration d) {
        return d == null ? Duration.ZERO : d;
    }

    private static Duration zeroAsNull(Duration d) {
        return d == null || d.isZero() ? null : d;
    }

    /** @return the stream's creation time, to the nanosecond, in base 36 */
    private static String epoch(Instant created) {
        return Long.toString(TimeUnit.SECONDS.toNanos(created.getEpochSecond()) + created.getNano(), 36);
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    private static <T> CompletableFuture<T> failed(String what, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof BackplaneException) {
            return CompletableFuture.failedFuture(cause);
        }
        return CompletableFuture.failedFuture(new BackplaneException("history " + what + " failed on NATS: "
                + cause, cause));
    }
}
