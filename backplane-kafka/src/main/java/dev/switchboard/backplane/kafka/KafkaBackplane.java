package dev.switchboard.backplane.kafka;

import dev.switchboard.backplane.kafka.internal.ClientConfigs;
import dev.switchboard.backplane.kafka.internal.KafkaBus;
import dev.switchboard.backplane.kafka.internal.KafkaHistory;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneHealth;
import dev.switchboard.spi.History;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backplane on Kafka: the nodes of a cluster publish to one bus topic and each reads all of it, and durable
 * topics keep their history in Kafka, one single-partition topic each (the Kafka offset is the stream position,
 * the topic's id is the epoch). Built on the official {@code kafka-clients}.
 *
 * <pre>{@code
 * Switchboard board = Switchboard.builder()
 *     .backplane(KafkaBackplane.create("kafka://k1:9092,k2:9092/?namespace=shop"))
 *     .build();
 * }</pre>
 *
 * <p>Health is proved, not assumed: every {@code healthCheckInterval} the node publishes a probe to itself
 * through the bus topic, and it is up only while its probes come back. While it is down, publishes are dropped
 * at once and counted (fail fast; nothing is buffered to be sent later). See {@code docs/backplane-kafka.md}.
 */
public final class KafkaBackplane implements Backplane, KafkaBus.Events {
    private static final Logger log = LoggerFactory.getLogger(KafkaBackplane.class);
    private static final byte[] PROBE = "\0sb-probe\0".getBytes(StandardCharsets.US_ASCII);

    private final KafkaBackplaneOptions options;
    private final AtomicLong dropped = new AtomicLong();
    private volatile String nodeId;
    private volatile Consumer<byte[]> listener;
    private volatile Admin admin;
    private volatile KafkaBus bus;
    private final KafkaHistory history;
    private volatile ScheduledExecutorService timer;
    private volatile boolean closed;
    private volatile boolean subscribed;
    private volatile String detail = "not started";
    /** When this node's last probe came back, and when something last failed (System.nanoTime()). */
    private volatile long lastProbeBack;
    private volatile long lastFailure = System.nanoTime();
    private volatile long connectedAt;

    private KafkaBackplane(KafkaBackplaneOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.history = new KafkaHistory(options);
    }

    /** @param options the settings @return a new, unstarted backplane */
    public static KafkaBackplane create(KafkaBackplaneOptions options) {
        return new KafkaBackplane(options);
    }

    /**
     * @param uri {@code kafka://host:port[,host:port…]/?option=value…} (see {@link KafkaBackplaneOptions})
     * @return a new, unstarted backplane
     * @throws IllegalArgumentException when the URI is malformed
     */
    public static KafkaBackplane create(String uri) {
        return new KafkaBackplane(KafkaBackplaneOptions.of(uri));
    }

    /** @return the settings */
    public KafkaBackplaneOptions options() {
        return options;
    }

    @Override
    public synchronized void start(String nodeId, Consumer<byte[]> listener) {
        if (bus != null || closed) {
            throw new IllegalStateException("a KafkaBackplane is started once");
        }
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.detail = "connecting to " + options.bootstrapServers();
        this.admin = Admin.create(ClientConfigs.admin(options, "switchboard-admin-" + nodeId));
        history.open(nodeId, admin);
        this.bus = new KafkaBus(options, nodeId, admin, this);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-kafka-probe-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        bus.start();
        long every = options.healthCheckInterval().toMillis();
        timer.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
    }

    private void probe() {
        if (!subscribed || closed) {
            return;
        }
        long now = System.nanoTime();
        byte[] p = Arrays.copyOf(PROBE, PROBE.length + 8);
        for (int i = 0; i < 8; i++) {
            p[PROBE.length + i] = (byte) (now >>> (8 * i));
        }
        bus.publish(nodeId, p);
    }

    private long window() {
        return 3 * options.healthCheckInterval().toNanos() + options.publishTimeout().toNanos();
    }

    private boolean up() {
        long back = lastProbeBack;
        return subscribed && back - lastFailure > 0 && System.nanoTime() - back < window();
    }

    /**
     * Up, or just connected with no failure since and the first probe still on its way: what is published
     * then gets through, so the node's first heartbeats are not dropped.
     */
    private boolean accepting() {
        long since = connectedAt;
        return up() || subscribed && since - lastFailure > 0 && lastProbeBack - since < 0
                && System.nanoTime() - since < window();
    }

    @Override
    public void publish(byte[] message) {
        send(null, message);
    }

    @Override
    public void publish(String nodeId, byte[] message) {
        send(Objects.requireNonNull(nodeId, "nodeId"), message);
    }

    private void send(String target, byte[] message) {
        KafkaBus b = bus;
        if (b == null || closed || !accepting()) {
            // Fail fast: a message published while Kafka is unreachable is dropped, not kept for later.
            dropped.incrementAndGet();
            return;
        }
        if (message.length > options.maxMessageBytes()) {
            dropped.incrementAndGet();
            log.warn("Kafka backplane {}: a message of {} bytes is larger than maxMessageBytes ({}); dropped",
                    nodeId, message.length, options.maxMessageBytes());
            return;
        }
        b.publish(target, message);
    }

    @Override
    public BackplaneHealth health() {
        boolean up = up();
        String d = detail;
        if (subscribed && !up) {
            d = "probes are not coming back through " + options.topic() + " (" + d + ")";
        }
        return new BackplaneHealth(up, "kafka", d, dropped.get());
    }

    @Override
    public Optional<History> history() {
        return Optional.of(history);
    }

    // ---- KafkaBus.Events ----

    @Override
    public void received(byte[] message) {
        if (message.length == PROBE.length + 8 && Arrays.equals(message, 0, PROBE.length, PROBE, 0, PROBE.length)) {
            long sent = 0;
            for (int i = 0; i < 8; i++) {
                sent |= (message[PROBE.length + i] & 0xffL) << (8 * i);
            }
            if (sent - lastFailure > 0) {   // sent after the last failure: proves the way as it is now
                lastProbeBack = System.nanoTime();
            }
            return;
        }
        listener.accept(message);
    }

    @Override
    public void connected(String d) {
        detail = d;
        connectedAt = System.nanoTime();
        subscribed = true;
        log.info("Kafka backplane {} reading {}", nodeId, d);
        timer.execute(this::probe);
    }

    @Override
    public void disconnected(String d) {
        detail = d;
        lastFailure = System.nanoTime();
    }

    @Override
    public void publishFailed(Exception failure) {
        dropped.incrementAndGet();
        lastFailure = System.nanoTime();
        detail = "publishing to " + options.topic() + " failed: " + failure.getMessage();
        log.debug("Kafka backplane {}: publish failed", nodeId, failure);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscribed = false;
        if (timer != null) {
            timer.shutdownNow();
        }
        if (bus != null) {
            bus.close();
        }
        history.close();
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
        detail = "closed";
    }

    @Override
    public String toString() {
        return "KafkaBackplane[" + options + "]";
    }
}
