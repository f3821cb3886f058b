package dev.switchboard.backplane.kafka.internal;

import dev.switchboard.BackplaneException;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.backplane.kafka.KafkaBackplaneOptions;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.spi.HistoryRead;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidMetadataException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Durable topics on the log: one Kafka topic per durable topic, with one partition, so the Kafka offset is
 * the stream position ({@code offset = kafka offset + 1}) and Kafka gives every append its own offset, in
 * order, also with many nodes appending at once. The epoch is the Kafka topic's id, which changes when the
 * topic is deleted and created again. Retention by count is {@code deleteRecords} after an append; by age,
 * the topic's {@code retention.ms}. Timestamps are the broker's ({@code LogAppendTime}).
 *
 * <p>Appends go through an idempotent producer acknowledged by all in-sync replicas; reads through one
 * consumer on a thread of its own. No method blocks the caller.
 */
public final class KafkaHistory implements History, AutoCloseable {
    /** Header of every history record: a random token, by which an append finds its own record again. */
    static final String APPEND = "sb-append";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private final KafkaBackplaneOptions options;
    private volatile Admin admin;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private volatile KafkaConsumer<byte[], byte[]> reader;
    private volatile ExecutorService reads;
    private volatile ExecutorService sends;
    private volatile boolean closed;
    /** Kafka topic → its id (the epoch) and the highest offset this node saw in it. */
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    private record Known(String epoch, long lastOffset) { }

    /**
     * A store that fails every call until {@link #open}: the core asks for a backplane's history store
     * before it starts the backplane.
     *
     * @param options the options
     */
    public KafkaHistory(KafkaBackplaneOptions options) {
        this.options = options;
    }

    /**
     * Creates the clients.
     *
     * @param nodeId this node's id, for client ids
     * @param admin the node's admin client (not closed here)
     */
    public synchronized void open(String nodeId, Admin admin) {
        if (closed) {
            return;
        }
        this.admin = admin;
        this.producer = new KafkaProducer<>(ClientConfigs.producer(options, "switchboard-history-" + nodeId, true),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.reader = new KafkaConsumer<>(ClientConfigs.consumer(options, "switchboard-history-" + nodeId),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.reads = Executors.newSingleThreadExecutor(r -> daemon(r, "switchboard-kafka-history-read-" + nodeId));
        this.sends = Executors.newSingleThreadExecutor(r -> daemon(r, "switchboard-kafka-history-send-" + nodeId));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private CompletableFuture<Void> notOpen() {
        return CompletableFuture.failedFuture(new BackplaneException(closed ? "the Kafka backplane is closed"
                : "the Kafka backplane is not started", null));
    }

    @Override
    public CompletableFuture<StreamPosition> append(String topic, byte[] message, Retention retention) {
        if (sends == null || closed) {
            return notOpen().thenApply(v -> null);
        }
        String name = TopicNames.history(options.namespace(), topic);
        Known cached = known.get(name);
        CompletableFuture<String> before = cached != null ? CompletableFuture.completedFuture(cached.epoch())
                : CompletableFuture.supplyAsync(() -> epoch(name, retention, false), sends);
        byte[] token = new byte[16];
        RANDOM.nextBytes(token);
        // Which log an acknowledged offset belongs to is the topic's id read after the acknowledgement: the log
        // may have been deleted and created again since this node last looked, and other nodes may have appended
        // more to the new one than this node knew of the old, so a growing offset proves nothing (found by the
        // chaos soak: offsets of a new log stamped with the lost log's id). Ids never repeat, so when the id read
        // after the acknowledgement is the one known before the send, the log was that one throughout. When they
        // differ, the acknowledgement may come from either log (a broker that lost its data between the two reads:
        // found by the chaos soak, an offset of the lost log stamped with the new log's id, which made every node
        // skip the new log's offsets up to it): the record is looked for in the log as it is now.
        return before.thenCompose(b -> send(name, message, token).thenCompose(offset ->
                CompletableFuture.supplyAsync(() -> epoch(name, retention, true), sends).thenCompose(after ->
                        after.equals(b) ? CompletableFuture.completedFuture(new StreamPosition(after, offset))
                                : CompletableFuture.supplyAsync(() -> confirm(name, retention, after, offset, token),
                                        reads)))).thenCompose(p -> {
            known.merge(name, new Known(p.epoch(), p.offset()), (a, c) -> !a.epoch().equals(c.epoch())
                    || c.lastOffset() > a.lastOffset() ? c : a);
            long keep = retention.maxMessages();
            if (p.offset() <= keep) {
                return CompletableFuture.completedFuture(p);
            }
            // Kafka offset o-1 holds stream offset o: keeping the last `keep` deletes below offset - keep.
            return admin.deleteRecords(Map.of(new TopicPartition(name, 0), RecordsToDelete.beforeOffset(p.offset() - keep)))
                    .all().toCompletionStage().toCompletableFuture().thenApply(v -> p);
        }).exceptionallyCompose(e -> CompletableFuture.failedFuture(
                e instanceof BackplaneException || e.getCause() instanceof BackplaneException ? unwrap(e)
                        : failure("appending to " + name, unwrap(e))))
                .orTimeout(options.publishTimeout().toMillis() + options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * For an append whose topic id changed between the send and the acknowledgement: the position in the log
     * {@code epoch} when its record is there, at {@code offset}, and the log is still that one after looking.
     *
     * @throws BackplaneException when the record is not there: the log that acknowledged it was lost
     */
    private StreamPosition confirm(String name, Retention retention, String epoch, long offset, byte[] token) {
        if (holds(new TopicPartition(name, 0), offset - 1, token) && epoch.equals(epoch(name, retention, true))) {
            return new StreamPosition(epoch, offset);
        }
        throw new BackplaneException("appending to " + name + ": the log was replaced while the message was "
                + "appended (the broker lost its data?) and the message is not in the new one; not appended", null);
    }

    /** @return true when the record at Kafka offset {@code kafkaOffset} of the log as it is now carries the token */
    private boolean holds(TopicPartition tp, long kafkaOffset, byte[] token) {
        reader.assign(List.of(tp));
        if (kafkaOffset < reader.beginningOffsets(List.of(tp)).get(tp)
                || kafkaOffset >= reader.endOffsets(List.of(tp)).get(tp)) {
            return false;
        }
        reader.seek(tp, kafkaOffset);
        long deadline = System.nanoTime() + options.commandTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100)).records(tp)) {
                if (r.offset() >= kafkaOffset) {
                    Header h = r.headers().lastHeader(APPEND);
                    return r.offset() == kafkaOffset && h != null && Arrays.equals(h.value(), token);
                }
            }
        }
        throw new BackplaneException("reading back " + tp.topic() + " at " + kafkaOffset + " timed out", null);
    }

    /**
     * For tests: holds the thread that reads the topic ids of appends until {@code resume} completes, as a
     * node too busy to look at once would.
     *
     * @param resume completes when the thread may go on
     */
    void holdEpochReads(CompletableFuture<?> resume) {
        sends.execute(resume::join);
    }

    private CompletableFuture<Long> send(String name, byte[] message, byte[] token) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        send(name, message, token, System.nanoTime() + options.publishTimeout().toNanos(), f);
        return f;
    }

    /**
     * Sends once, and again while the broker refuses the record for stale metadata (the topic moved or was created
     * again: nothing was written) and the publish timeout allows. The producer itself never retries: it is not
     * idempotent (see {@link ClientConfigs#producer}), and a retry after a lost answer could write the record twice.
     */
    private void send(String name, byte[] message, byte[] token, long deadline, CompletableFuture<Long> f) {
        try {
            RecordHeaders headers = new RecordHeaders();
            headers.add(APPEND, token);
            producer.send(new ProducerRecord<>(name, 0, null, null, message, headers), (md, e) -> {
                if (e == null) {
                    f.complete(md.offset() + 1);
                } else if (e instanceof InvalidMetadataException && System.nanoTime() - deadline < 0 && !closed) {
                    // The producer refreshes its metadata after such an answer: send again a moment later.
                    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)
                            .execute(() -> send(name, message, token, deadline, f));
                } else {
                    // The topic may be gone (deleted by hand): the next append looks it up, or creates it, again.
                    known.remove(name);
                    f.completeExceptionally(failure("appending to " + name, e));
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(failure("appending to " + name, e));
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    @Override
    public CompletableFuture<HistoryRead> read(String topic, long afterOffset, int limit) {
        if (reads == null || closed) {
            return notOpen().thenApply(v -> null);
        }
        String name = TopicNames.history(options.namespace(), topic);
        return CompletableFuture.supplyAsync(() -> {
            String epoch = epoch(name, null, true);
            TopicPartition tp = new TopicPartition(name, 0);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    get(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all());
            long latest = ends.get(tp).offset();
            known.merge(name, new Known(epoch, latest), (a, b) -> b);
            List<HistoryEntry> entries = new ArrayList<>();
            if (limit > 0 && afterOffset < latest) {
                fetch(tp, afterOffset, latest, limit, entries);
            }
            return new HistoryRead(new StreamPosition(epoch, latest), entries);
        }, reads);
    }

    /**
     * Reads up to {@code limit} retained records from Kafka offset {@code from} (stream offset {@code from + 1})
     * on, below {@code end}.
     */
    private void fetch(TopicPartition tp, long from, long end, int limit, List<HistoryEntry> out) {
        reader.assign(List.of(tp));
        long start = Math.max(from, reader.beginningOffsets(List.of(tp)).get(tp));
        long to = Math.min(end, start + limit);
        if (start >= to) {
            return;
        }
        reader.seek(tp, start);
        long deadline = System.nanoTime() + options.commandTimeout().toNanos();
        long next = start;
        while (next < to) {
            if (System.nanoTime() > deadline) {
                throw new BackplaneException("reading the history of " + tp.topic() + " timed out", null);
            }
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100)).records(tp)) {
                if (r.offset() >= to) {
                    return;
                }
                if (r.offset() >= next) {
                    out.add(new HistoryEntry(r.offset() + 1, r.timestamp(), r.value()));
                    next = r.offset() + 1;
                }
            }
        }
    }

    /** The topic's id, creating the topic on first use; from memory unless {@code fresh}. */
    private String epoch(String name, Retention retention, boolean fresh) {
        Known k = known.get(name);
        if (k != null && !fresh) {
            return k.epoch();
        }
        Optional<TopicDescription> d = describe(name);
        if (d.isEmpty()) {
            Map<String, String> configs = new HashMap<>();
            configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(options.maxMessageBytes()));
            configs.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
            configs.put(TopicConfig.RETENTION_MS_CONFIG, retention == null || retention.maxAge() == null
                    ? "-1" : Long.toString(Math.max(1, retention.maxAge().toMillis())));
            try {
                admin.createTopics(List.of(new NewTopic(name, Optional.of(1), Optional.of(options.replicationFactor()))
                        .configs(configs))).all().get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw failure("creating " + name, e.getCause());
                }
            } catch (Exception e) {
                throw failure("creating " + name, e);
            }
            long deadline = System.nanoTime() + options.commandTimeout().toNanos();
            for (d = describe(name); d.isEmpty(); d = describe(name)) {
                // A new topic's metadata reaches the broker that answers a moment after the creation.
                if (System.nanoTime() > deadline) {
                    throw new BackplaneException("topic " + name + " was created but cannot be described", null);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure("creating " + name, e);
                }
            }
        }
        String epoch = d.get().topicId().toString();
        known.merge(name, new Known(epoch, 0), (a, b) -> a.epoch().equals(b.epoch()) ? a : b);
        return epoch;
    }

    private Optional<TopicDescription> describe(String name) {
        try {
            return Optional.of(admin.describeTopics(List.of(name)).allTopicNames()
                    .get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS).get(name));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw failure("describing " + name, e.getCause());
        } catch (Exception e) {
            throw failure("describing " + name, e);
        }
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> f) {
        try {
            return f.get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failure("history call", e.getCause());
        } catch (Exception e) {
            throw failure("history call", e);
        }
    }

    private static BackplaneException failure(String what, Throwable cause) {
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return new BackplaneException(what + " failed: " + cause, cause);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (sends == null) {
            return;
        }
        sends.shutdownNow();
        reads.shutdownNow();
        producer.close(Duration.ZERO);
        try {
            reads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            reader.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
        } catch (RuntimeException e) {
            // closing anyway
        }
    }
}
