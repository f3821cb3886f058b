package dev.switchboard.backplane.kafka.internal;

import dev.switchboard.backplane.kafka.KafkaBackplaneOptions;
import dev.switchboard.spi.BackplaneLink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus: one Kafka topic every node publishes to (keyed by its node id, so one node's messages stay in one
 * partition and in order) and reads entirely, each node from the end at the moment it joined, with a consumer
 * of its own outside any consumer group (no group coordination, no rebalances). A message for one node
 * carries header {@code sb-to}; other nodes drop it before the core sees it.
 *
 * <p>One thread per node connects (creates the topic when missing, assigns every partition, seeks to the end)
 * with the core's back-off, then polls and hands each message to the core's link on that thread. A broker that
 * goes away mid-stream does not fail the poll: the core notices through its liveness beats, and when they stay
 * missing asks for {@link #renew()}, which connects again (a broker that lost its data has no bus topic).
 */
public final class KafkaBus implements AutoCloseable {
    /** Header naming the one node a message is for. */
    static final String TO = "sb-to";
    private static final Logger log = LoggerFactory.getLogger(KafkaBus.class);

    private final KafkaBackplaneOptions options;
    private final BackplaneLink events;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Admin admin;
    private final Thread thread;
    private volatile byte[] key;
    private volatile String nodeId;
    private volatile boolean closed;
    private volatile boolean renewing;

    /**
     * @param options the options
     * @param nodeId this node's id
     * @param admin the node's admin client (not closed by the bus)
     * @param events the core's side: where messages and states go, and the back-off
     */
    public KafkaBus(KafkaBackplaneOptions options, String nodeId, Admin admin, BackplaneLink events) {
        this.options = options;
        this.nodeId = nodeId;
        this.events = events;
        this.admin = admin;
        this.key = nodeId.getBytes(StandardCharsets.UTF_8);
        this.producer = new KafkaProducer<>(ClientConfigs.producer(options, "switchboard-bus-" + nodeId, false),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(ClientConfigs.consumer(options, "switchboard-bus-" + nodeId),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "switchboard-kafka-bus-" + nodeId);
        thread.setDaemon(true);
    }

    /** Starts connecting in the background. */
    public void start() {
        thread.start();
    }

    /**
     * @param millis the longest wait
     * @throws InterruptedException when interrupted
     */
    public void awaitFirstAttempt(long millis) throws InterruptedException {
        firstAttempt.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Moves this node's directed messages to a new id (its records' key and the {@code sb-to} it accepts).
     *
     * @param id the new node id
     */
    public void rename(String id) {
        nodeId = id;
        key = id.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Hands a message to the producer (waiting at most the producer's {@code max.block.ms} for missing
     * metadata).
     *
     * @param target the node it is for, or null for every node
     * @param message the bytes
     * @return completes when the partition leader acknowledged it, or exceptionally
     */
    public CompletableFuture<Void> publish(String target, byte[] message) {
        RecordHeaders headers = new RecordHeaders();
        if (target != null) {
            headers.add(TO, target.getBytes(StandardCharsets.UTF_8));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(options.topic(), null, key, message, headers), (md, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /**
     * Connects the consumer again, on its thread: creates the topic when missing (a broker that came back
     * empty), assigns every partition afresh and reads from the end. For a consumer that stopped hearing this
     * node's own liveness beats while it claims to be connected; what was published meanwhile is not read.
     * Never blocks.
     */
    public void renew() {
        renewing = true;
        consumer.wakeup();
    }

    private void run() {
        while (!closed) {
            try {
                if (renewing) {
                    renewing = false;
                    consumer.unsubscribe(); // forgets the positions and their leader epochs, as a new consumer
                }
                connect();
                events.backoff().reset();
                firstAttempt.countDown();
                poll();
            } catch (WakeupException e) {
                if (closed) {
                    return;
                }
                log.info("Kafka bus {}: renewing the consumer of {}", nodeId, options.topic());
            } catch (RuntimeException | ExecutionException | TimeoutException e) {
                if (closed) {
                    return;
                }
                events.disconnected("connecting to " + options.bootstrapServers() + ": " + rootMessage(e));
                firstAttempt.countDown();
                log.debug("Kafka bus {}: {}", nodeId, e.toString());
                if (!events.backoff().pause()) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void connect() throws ExecutionException, TimeoutException, InterruptedException {
        long timeout = options.commandTimeout().toMillis();
        try {
            admin.createTopics(List.of(new NewTopic(options.topic(), java.util.Optional.of(1),
                            java.util.Optional.of(options.replicationFactor()))
                            .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                    Integer.toString(options.maxMessageBytes())))))
                    .all().get(timeout, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        List<PartitionInfo> infos = consumer.partitionsFor(options.topic(), Duration.ofMillis(timeout));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + options.topic() + " has no partitions yet");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo i : infos) {
            partitions.add(new TopicPartition(i.topic(), i.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        for (TopicPartition tp : partitions) {
            consumer.position(tp, Duration.ofMillis(timeout));   // resolves the end now: nothing older is read
        }
        events.connected(options.bootstrapServers() + ", topic " + options.topic() + " (" + partitions.size()
                + " partition" + (partitions.size() == 1 ? "" : "s") + ")");
    }

    private void poll() {
        Duration wait = Duration.ofMillis(Math.max(50, options.fetchMaxWait().toMillis()));
        while (!closed) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
                if (r.value() == null || !forMe(r.headers().lastHeader(TO))) {
                    continue;
                }
                events.received(r.value());
            }
        }
    }

    private boolean forMe(Header to) {
        return to == null || java.util.Arrays.equals(to.value(), key);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t.getCause() != null && t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Stops reading and publishing at once; unsent messages are discarded. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
        } catch (RuntimeException e) {
            log.debug("Kafka bus {}: closing the consumer", nodeId, e);
        }
        producer.close(Duration.ZERO);
    }
}
