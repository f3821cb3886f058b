package dev.switchboard.backplane.nats;

import dev.switchboard.BackplaneException;
import dev.switchboard.backplane.nats.internal.JetStreamHistory;
import dev.switchboard.backplane.nats.internal.Names;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneCapabilities;
import dev.switchboard.spi.BackplaneLink;
import dev.switchboard.spi.BackplaneOptions;
import dev.switchboard.spi.History;
import dev.switchboard.spi.Outbound;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Backplane} on NATS: cluster messages on core NATS subjects, durable-topic {@link History} on
 * JetStream streams, with the official jnats client. One instance per node:
 *
 * <pre>{@code
 * Switchboard board = Switchboard.builder()
 *     .backplane(NatsBackplane.create("nats://127.0.0.1:4222?namespace=shop"))
 *     .build();
 * }</pre>
 *
 * <p>Each node holds one connection, subscribed to {@code <namespace>.all} and {@code <namespace>.node.<id>}.
 * Cluster messages travel on core NATS (at most once, in order per connection, no storage), which is what the
 * core's protocol asks for; JetStream would add a stored, acknowledged copy of every heartbeat and query for
 * nothing. A batch is published and then flushed (one round trip), so a batch counts as sent only once the
 * server has it. Durable topics live in one JetStream stream each ({@link JetStreamHistory}).
 *
 * <p>The core's pipeline owns the queue, batching, dropping while NATS is down, liveness and health (see
 * {@link BackplaneOptions}). This adapter connects (retrying with the core's backoff also when NATS was down
 * at start), and lets jnats reconnect and resubscribe afterwards with the same backoff, reporting each change.
 * Received messages are handed to the core on jnats' dispatcher thread without blocking it.
 */
public final class NatsBackplane implements Backplane {
    private static final Logger log = LoggerFactory.getLogger(NatsBackplane.class);

    private final NatsBackplaneOptions options;
    private final Names names;
    private final ExecutorService executor;
    private final JetStreamHistory history;
    private volatile BackplaneLink link;
    private volatile Connection connection;
    private Dispatcher dispatcher;
    private String ownSubject;
    private Thread connector;
    private volatile boolean closed;

    private NatsBackplane(NatsBackplaneOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.names = new Names(options.backplane().namespace(), options.streamPrefix());
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "switchboard-nats-history");
            t.setDaemon(true);
            return t;
        });
        this.history = new JetStreamHistory(() -> connection, names, new JetStreamHistory.Limits(
                options.memoryStorage() ? StorageType.Memory : StorageType.File, options.replicas(),
                options.historyMaxAge(), options.historyMaxBytes()), options.requestTimeout(), executor);
    }

    /** @param options the options @return a new, unstarted backplane */
    public static NatsBackplane create(NatsBackplaneOptions options) {
        return new NatsBackplane(options);
    }

    /**
     * @param uri a {@code nats://} URI as described in {@link NatsBackplaneOptions}, options as query parameters
     * @return a new, unstarted backplane
     * @throws IllegalArgumentException when the URI is malformed
     */
    public static NatsBackplane create(String uri) {
        return new NatsBackplane(NatsBackplaneOptions.of(uri));
    }

    @Override
    public String name() {
        return "nats";
    }

    /** @return the options this backplane was created with */
    public NatsBackplaneOptions options() {
        return options;
    }

    @Override
    public BackplaneOptions sharedOptions() {
        return options.backplane();
    }

    @Override
    public BackplaneCapabilities capabilities() {
        return BackplaneCapabilities.defaults().withDurableHistory(true).withMaxMessageBytes(options.maxPayload());
    }

    /**
     * Starts connecting on a thread of its own, which retries with the core's backoff until the first
     * connection is made and subscribed; jnats reconnects after that.
     *
     * @throws IllegalStateException when called twice or after {@link #close()}
     */
    @Override
    public synchronized void start(BackplaneLink link) {
        Objects.requireNonNull(link, "link");
        if (this.link != null || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        this.link = link;
        connector = new Thread(this::connect, "switchboard-nats-connect-" + link.nodeId());
        connector.setDaemon(true);
        connector.start();
    }

    private void connect() {
        Options natsOptions = natsOptions();
        while (!closed) {
            Connection c = null;
            try {
                c = Nats.connect(natsOptions);
                synchronized (this) {
                    if (closed) {
                        c.close();
                        return;
                    }
                    connection = c;
                    dispatcher = c.createDispatcher(m -> {
                        if (!closed) {
                            link.received(m.getData());
                        }
                    });
                    ownSubject = names.node(link.nodeId());
                    dispatcher.subscribe(names.all()).subscribe(ownSubject);
                }
                c.flush(options.requestTimeout());
                link.backoff().reset();
                link.connected(detail(c));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                closeQuietly(c);
                link.disconnected("cannot connect to " + options.endpoint() + ": " + e);
            }
            if (!link.backoff().pause()) {
                return;
            }
        }
    }

    private Options natsOptions() {
        Options.Builder b = new Options.Builder().servers(options.servers().toArray(String[]::new))
                .connectionName("switchboard " + link.nodeId()).maxReconnects(-1)
                .reconnectDelayHandler(attempt -> Duration.ofMillis(link.backoff().delayMillis((int) Math.min(attempt, 30))))
                // Nothing buffered while reconnecting: the pipeline counts what it cannot send instead.
                .reconnectBufferSize(0)
                .connectionListener(this::onEvent).errorListener(new ErrorListener() {
                    @Override
                    public void exceptionOccurred(Connection conn, Exception exp) {
                        log.debug("NATS connection to {}: {}", options.endpoint(), exp.toString());
                    }
                });
        if (options.tls()) {
            try {
                b.secure();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new BackplaneException("no TLS in this JVM", e);
            }
        }
        if (options.creds() != null) {
            b.credentialPath(options.creds());
        }
        return b.build();
    }

    private void onEvent(Connection c, ConnectionListener.Events event) {
        if (c != connection || closed) {
            return;
        }
        switch (event) {
            case DISCONNECTED -> link.disconnected("disconnected from " + options.endpoint() + "; reconnecting");
            case RECONNECTED -> {
                history.forget(); // the server may have come back without its streams
                link.connected(detail(c));
            }
            case CLOSED -> link.disconnected("connection to " + options.endpoint() + " closed");
            default -> { }
        }
    }

    private String detail(Connection c) {
        return "connected to " + c.getConnectedUrl() + " (subjects " + names.all() + ", " + ownSubject + ")";
    }

    @Override
    public void publish(List<Outbound> batch) throws Exception {
        Connection c = connection;
        if (c == null || closed || c.getStatus() != Connection.Status.CONNECTED) {
            throw new BackplaneException(closed ? "NATS backplane closed" : "not connected to " + options.endpoint(), null);
        }
        for (Outbound o : batch) {
            c.publish(o.broadcast() ? names.all() : names.node(o.target()), o.message());
        }
        c.flush(options.requestTimeout());
    }

    /** Subscribes again, for a subscription the server dropped without closing the connection. */
    @Override
    public synchronized void renew() {
        if (dispatcher != null && !closed) {
            try {
                dispatcher.unsubscribe(names.all()).unsubscribe(ownSubject).subscribe(names.all()).subscribe(ownSubject);
            } catch (IllegalStateException e) {
                log.debug("NATS subscriptions not renewed now (jnats resubscribes after reconnecting): {}", e.toString());
            }
        }
    }

    @Override
    public synchronized boolean rename(String nodeId) {
        if (closed) {
            return false;
        }
        String moved = names.node(nodeId);
        if (dispatcher != null) {
            try {
                dispatcher.unsubscribe(ownSubject).subscribe(moved);
            } catch (IllegalStateException e) {
                log.warn("NATS backplane cannot move its node subject to {} now: {}", moved, e.toString());
                return false;
            }
        }
        ownSubject = moved;
        return true;
    }

    /** @return the durable-topic history on JetStream, shared by every node on the same NATS and namespace */
    @Override
    public Optional<History> history() {
        return Optional.of(history);
    }

    /** Stops delivering at once and closes the connection. Idempotent. */
    @Override
    public void close() {
        Connection c;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (dispatcher != null && connection.getStatus() == Connection.Status.CONNECTED) {
                try {
                    dispatcher.unsubscribe(names.all()).unsubscribe(ownSubject);
                } catch (IllegalStateException e) {
                    // closing anyway; the handler drops what still arrives
                }
            }
            c = connection;
            if (connector != null) {
                connector.interrupt();
            }
        }
        closeQuietly(c);
        executor.shutdownNow();
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "NatsBackplane[" + options.endpoint() + ", namespace " + options.backplane().namespace() + "]";
    }
}
