package dev.switchboard.backplane.kafka;

import dev.switchboard.BackplaneException;
import dev.switchboard.Switchboard;
import dev.switchboard.backplane.kafka.internal.RecordDecoder;
import dev.switchboard.backplane.kafka.internal.SkipLog;
import dev.switchboard.emit.EmitMessage;
import dev.switchboard.emit.EmitResult;
import dev.switchboard.emit.EmitService;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes Kafka topics and routes every record to its audience like the emit API does
 * ({@code POST /api/emit}): a record whose value is an emit message (seed 002's body: {@code id},
 * {@code type}, {@code payload}, {@code broadcast}, {@code users}, {@code roles} within
 * {@code organizations}, {@code topics}, {@code connections}), or a CloudEvent in Kafka's binary
 * ({@code ce_*} headers) or structured ({@code application/cloudevents+json}) binding.
 *
 * <pre>{@code
 * KafkaEventSource source = KafkaEventSource.start(board,
 *         KafkaEventSourceOptions.builder("kafka:9092", "platform.notifications").build());
 * ...
 * source.close();   // before board.close()
 * }</pre>
 *
 * <p>Both {@link KafkaEventSourceOptions.Mode modes} go through the node's
 * {@link Switchboard#emitService() emit service}, so the audience logic and the de-duplication by id are the
 * emit API's. Poison records (not JSON, no type, no audience, malformed) are counted by
 * {@link SkipReason}, logged and skipped: they never stop a partition. Offsets are committed after the
 * records before them were handled (at least once): after a crash or a rebalance a few records may be read
 * again, and the emit service's de-duplication window drops the repeats it still remembers. The consumer
 * rides out broker outages and resumes from the committed offsets.
 *
 * <p>Threading: one consumer thread per source, started by {@link #start}; routing runs on it. Thread-safe.
 */
public final class KafkaEventSource implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaEventSource.class);

    private final KafkaEventSourceOptions options;
    private final EmitService emits;
    private final RecordDecoder decoder;
    private final String groupId;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final SkipLog skipLog = new SkipLog(log);
    private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final Map<SkipReason, AtomicLong> skipped = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private KafkaEventSource(Switchboard board, KafkaEventSourceOptions options) {
        this.options = options;
        this.emits = board.emitService();
        this.decoder = new RecordDecoder(board.mapper());
        this.groupId = options.groupIdFor(board.nodeId());
        for (SkipReason r : SkipReason.values()) {
            skipped.put(r, new AtomicLong());
        }
        this.consumer = new KafkaConsumer<>(consumerConfig(options, groupId, board.nodeId()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "switchboard-kafka-events-" + groupId);
        thread.setDaemon(true);
    }

    /**
     * Subscribes to the topics and starts the consumer thread. Returns at once: it does not wait for Kafka
     * (an unreachable broker is retried by the consumer, with warnings in the log).
     *
     * @param board the node whose emit service routes the records
     * @param options the settings
     * @return the running source
     * @throws org.apache.kafka.common.KafkaException when the consumer settings are invalid
     */
    public static KafkaEventSource start(Switchboard board, KafkaEventSourceOptions options) {
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(options, "options");
        KafkaEventSource source = new KafkaEventSource(board, options);
        source.thread.start();
        log.info("Kafka event source reading {} from {} as group {} ({})", options.topics(),
                options.bootstrapServers(), source.groupId, options.mode());
        return source;
    }

    static Properties consumerConfig(KafkaEventSourceOptions options, String groupId, String nodeId) {
        Properties p = new Properties();
        p.putAll(options.consumerProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, options.startFrom().name().toLowerCase(Locale.ROOT));
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "switchboard-events-" + nodeId);
        return p;
    }

    /** @return the consumer group this source reads as */
    public String groupId() {
        return groupId;
    }

    /** @return what the source did so far */
    public KafkaEventSourceStats stats() {
        Map<SkipReason, Long> s = new EnumMap<>(SkipReason.class);
        skipped.forEach((k, v) -> s.put(k, v.get()));
        return new KafkaEventSourceStats(received.get(), delivered.get(), duplicates.get(), s);
    }

    private void run() {
        try {
            consumer.subscribe(options.topics(), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // Hand over with what this node handled committed, so the next owner does not repeat it.
                    commit(true);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    log.debug("Kafka event source {} assigned {}", groupId, partitions);
                }
            });
            while (!closed) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(options.pollTimeout());
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    handle(r);
                    handled.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                if (!records.isEmpty()) {
                    commit(false);
                }
            }
        } catch (WakeupException e) {
            // close() woke the consumer up
        } catch (RuntimeException e) {
            if (!closed) {
                log.error("Kafka event source {} stopped: {}", groupId, e.toString(), e);
            }
        } finally {
            try {
                finalCommit();
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(3)));
            } catch (RuntimeException e) {
                log.debug("Kafka event source {}: closing the consumer failed", groupId, e);
            } finally {
                stopped.countDown();
            }
        }
    }

    private void finalCommit() {
        try {
            commit(true);
        } catch (WakeupException e) {
            // close()'s wakeup landed here rather than in poll; it is spent now, so the commit can go through.
            commit(true);
        }
    }

    private void commit(boolean sync) {
        if (handled.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(handled);
        try {
            if (sync) {
                consumer.commitSync(offsets, Duration.ofSeconds(5));
                handled.clear();
            } else {
                consumer.commitAsync(offsets, (o, e) -> {
                    if (e != null) {
                        // A later commit covers these; until then a restart reads them again.
                        log.debug("Kafka event source {}: commit failed: {}", groupId, e.toString());
                    }
                });
            }
        } catch (WakeupException e) {
            throw e;   // kept in `handled` for the commit after it
        } catch (KafkaException e) {
            if (sync) {
                // Dropped: after a revoke these partitions may belong to another node now.
                handled.clear();
            }
            log.warn("Kafka event source {}: committing offsets failed ({}); records after the last commit "
                    + "will be read again after a restart", groupId, e.toString());
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        received.incrementAndGet();
        RecordDecoder.Decoded d = decoder.decode(r.headers(), r.value());
        if (d instanceof RecordDecoder.Poison p) {
            skip(r, p.reason(), p.detail());
            return;
        }
        EmitMessage m = ((RecordDecoder.Message) d).message();
        long backoff = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                EmitResult result = options.mode() == KafkaEventSourceOptions.Mode.EVERY_NODE
                        ? emits.acceptLocally(m) : emits.accept(m);
                (result.duplicate() ? duplicates : delivered).incrementAndGet();
                return;
            } catch (BackplaneException e) {
                if (attempt >= options.deliveryAttempts() || closed) {
                    skip(r, SkipReason.DELIVERY_FAILED, e.getMessage());
                    return;
                }
                sleep(backoff);
                backoff *= 2;
            } catch (RuntimeException e) {
                skip(r, SkipReason.INVALID, e.toString());
                return;
            }
        }
    }

    private void skip(ConsumerRecord<byte[], byte[]> r, SkipReason reason, String detail) {
        long n = skipped.get(reason).incrementAndGet();
        skipLog.skipped(reason, n, r.topic() + "-" + r.partition() + "@" + r.offset(), detail);
    }

    private static void sleep(long millis) {
        // Backing off between tries of one record: the consumer thread has nothing else to do meanwhile.
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops reading: commits what was handled, leaves the group (its partitions move to the other nodes in
     * {@link KafkaEventSourceOptions.Mode#SHARED_GROUP}) and closes the consumer. Waits up to 10 s for the
     * consumer thread. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        consumer.wakeup();
        try {
            if (!stopped.await(10, TimeUnit.SECONDS)) {
                log.warn("Kafka event source {}: the consumer thread did not stop within 10 s", groupId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
