package dev.switchboard.backplane.kafka;

import dev.switchboard.BackplaneException;
import dev.switchboard.backplane.kafka.internal.ClientConfigs;
import dev.switchboard.backplane.kafka.internal.KafkaBus;
import dev.switchboard.backplane.kafka.internal.KafkaHistory;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneCapabilities;
import dev.switchboard.spi.BackplaneLink;
import dev.switchboard.spi.BackplaneOptions;
import dev.switchboard.spi.History;
import dev.switchboard.spi.Outbound;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

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
 * <p>The core's pipeline queues, batches, proves liveness and reports health; this adapter connects, publishes
 * a batch and reads the bus. See {@code docs/backplane-kafka.md}.
 */
public final class KafkaBackplane implements Backplane {
    private final KafkaBackplaneOptions options;
    private final KafkaHistory history;
    private volatile Admin admin;
    private volatile KafkaBus bus;
    private volatile boolean closed;

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

    @Override
    public String name() {
        return "kafka";
    }

    /** @return the settings */
    public KafkaBackplaneOptions options() {
        return options;
    }

    @Override
    public BackplaneOptions sharedOptions() {
        return options.backplane();
    }

    /**
     * @return durable history; messages for one node travel on the shared bus topic (the other nodes drop them
     *     before decoding); at most {@code maxMessageBytes}
     */
    @Override
    public BackplaneCapabilities capabilities() {
        return new BackplaneCapabilities(false, true, false, true, false, options.maxMessageBytes());
    }

    /**
     * Starts connecting in the background and waits at most {@link BackplaneOptions#startTimeout()} for the
     * first attempt.
     *
     * @throws IllegalStateException when called twice or after {@link #close()}
     */
    @Override
    public synchronized void start(BackplaneLink link) {
        Objects.requireNonNull(link, "link");
        if (bus != null || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        admin = Admin.create(ClientConfigs.admin(options, "switchboard-admin-" + link.nodeId()));
        history.open(link.nodeId(), admin);
        bus = new KafkaBus(options, link.nodeId(), admin, link);
        bus.start();
        try {
            bus.awaitFirstAttempt(options.backplane().startTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void publish(List<Outbound> batch) throws Exception {
        KafkaBus b = bus;
        if (b == null || closed) {
            throw new BackplaneException(closed ? "Kafka backplane closed" : "Kafka backplane not started", null);
        }
        CompletableFuture<?>[] sent = new CompletableFuture<?>[batch.size()];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = b.publish(batch.get(i).target(), batch.get(i).message());
        }
        try {
            // The producer times each record out by itself (delivery.timeout.ms); the margin guards a lost callback.
            CompletableFuture.allOf(sent).get(options.publishTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        }
    }

    /**
     * Connects the bus consumer again (creating the bus topic when missing, as after a broker that came back
     * empty), assigns it afresh and reads from the end; called by the core when this node's own liveness beats
     * stopped coming back. Never blocks.
     */
    @Override
    public void renew() {
        KafkaBus b = bus;
        if (b != null && !closed) {
            b.renew();
        }
    }

    @Override
    public boolean rename(String nodeId) {
        KafkaBus b = bus;
        if (b == null) {
            return false;
        }
        b.rename(nodeId);
        return true;
    }

    @Override
    public Optional<History> history() {
        return Optional.of(history);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (bus != null) {
            bus.close();
        }
        history.close();
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
    }

    @Override
    public String toString() {
        return "KafkaBackplane[" + options + "]";
    }
}
