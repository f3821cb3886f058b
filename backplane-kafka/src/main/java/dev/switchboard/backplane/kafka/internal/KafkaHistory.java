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
import org.apache.kafka.common.errors.TopicExistsException;
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
        CompletableFuture<String> epoch = cached != null ? CompletableFuture.completedFuture(cached.epoch())
                : CompletableFuture.supplyAsync(() -> epoch(name, retention, false), sends);
        // Which log an acknowledged offset belongs to is the topic's id read after the acknowledgement: the log
        // may have been deleted and created again since this node last looked, and other nodes may have appended
        // more to the new one than this node knew of the old, so a growing offset proves nothing (found by the
        // chaos soak: offsets of a new log stamped with the lost log's id). Only a log deleted and created again
        // between the acknowledgement and this read could still be misnamed, and its message is lost with it.
        return epoch.thenCompose(e -> send(name, message)).thenCompose(offset ->
                CompletableFuture.supplyAsync(() -> epoch(name, retention, true), sends)
                        .thenApply(e -> new StreamPosition(e, offset))).thenCompose(p -> {
            known.merge(name, new Known(p.epoch(), p.offset()), (a, b) -> !a.epoch().equals(b.epoch())
                    || b.lastOffset() > a.lastOffset() ? b : a);
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

    private CompletableFuture<Long> send(String name, byte[] message) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(name, 0, null, null, message), (md, e) -> {
                if (e != null) {
                    // The topic may be gone (deleted by hand): the next append looks it up, or creates it, again.
                    known.remove(name);
                    f.completeExceptionally(failure("appending to " + name, e));
                } else {
                    f.complete(md.offset() + 1);
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(failure("appending to " + name, e));
        }
        return f;
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
