package dev.switchboard.backplane.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.PreparedMessage;
import dev.switchboard.backplane.postgres.internal.Attachments;
import dev.switchboard.backplane.postgres.internal.BackplaneReceiver;
import dev.switchboard.backplane.postgres.internal.BackplaneSchema;
import dev.switchboard.backplane.postgres.internal.Notifier;
import dev.switchboard.backplane.postgres.internal.Payloads;
import dev.switchboard.backplane.postgres.internal.PostgresHistory;
import dev.switchboard.postgres.internal.Identifiers;
import dev.switchboard.postgres.internal.JdbcEndpoint;
import dev.switchboard.postgres.internal.ListenLoop;
import dev.switchboard.postgres.internal.Pools;
import dev.switchboard.postgres.internal.Threads;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneCapabilities;
import dev.switchboard.spi.BackplaneLink;
import dev.switchboard.spi.BackplaneOptions;
import dev.switchboard.spi.History;
import dev.switchboard.spi.Outbound;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backplane on PostgreSQL {@code LISTEN}/{@code NOTIFY}, with durable topics in two tables and a
 * transactional publish.
 *
 * <pre>{@code
 * PostgresBackplane backplane = PostgresBackplane.create("postgres://app:secret@db:5432/app");
 * Switchboard board = Switchboard.builder().backplane(backplane).build();
 *
 * // the outbox pattern without an outbox worker: clients hear of the order iff the INSERT commits
 * try (Connection tx = dataSource.getConnection()) {
 *     tx.setAutoCommit(false);
 *     insertOrder(tx, order);
 *     backplane.publish(tx, board.to(Audience.user(order.owner())).prepare("order.created", order));
 *     tx.commit();
 * }
 * }</pre>
 *
 * <p>Each node holds one dedicated connection that LISTENs on {@code <namespace>_all} and
 * {@code <namespace>_node_<nodeId>} and polls on its own thread, reconnecting and LISTENing again by
 * itself with the core's backoff. The core's pipeline hands it batches, each sent in one transaction
 * (one {@code pg_notify} statement) on a connection from the application's {@link DataSource} (or a
 * HikariCP pool of its own); the pipeline owns the queue, dropping while the server is down, liveness and health.
 * Messages whose payload would exceed {@link PostgresBackplaneOptions#attachmentThreshold()} bytes are
 * stored in the attachments table and announced by reference; old attachments are deleted on a
 * schedule.
 *
 * <p>Threading: received messages go to the core on the LISTEN thread, in the order each publisher's
 * transactions committed. {@link #publish(Connection, PreparedMessage)} runs on the caller's thread and
 * connection.
 * Delivery is at most once: notifications sent while a node's LISTEN connection is down are lost
 * for that node.
 */
public final class PostgresBackplane implements Backplane {
    private static final Logger log = LoggerFactory.getLogger(PostgresBackplane.class);

    private final PostgresBackplaneOptions options;
    private final BackplaneSchema schema;
    private final Attachments attachments;
    private final Notifier notifier;
    private final DataSource dataSource;
    private final HikariDataSource ownPool;
    private final JdbcEndpoint listenEndpoint;
    private final ThreadPoolExecutor historyExecutor;
    private final PostgresHistory history;
    private final String allChannel;
    private final AtomicLong missedAttachments = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile ListenLoop listen;
    private volatile ScheduledExecutorService cleanup;
    private volatile BackplaneLink link;
    private volatile boolean closed;

    private PostgresBackplane(PostgresBackplaneOptions options) {
        this.options = options;
        this.schema = new BackplaneSchema(options.schema(), options.tablePrefix());
        this.attachments = new Attachments(schema);
        this.notifier = new Notifier(new Payloads(options.attachmentThreshold()), attachments, options.asyncCommit());
        String url = options.listenUrl() != null ? options.listenUrl() : options.url();
        this.listenEndpoint = new JdbcEndpoint(url, options.user(), options.password());
        if (options.dataSource() != null) {
            this.dataSource = options.dataSource();
            this.ownPool = null;
        } else {
            this.ownPool = Pools.open(new JdbcEndpoint(options.url(), options.user(), options.password()),
                    options.poolSize(), "backplane");
            this.dataSource = ownPool;
        }
        this.historyExecutor = new ThreadPoolExecutor(options.poolSize(), options.poolSize(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(10_000), Threads.daemon("switchboard-pg-history"));
        this.historyExecutor.allowCoreThreadTimeOut(true);
        this.history = new PostgresHistory(dataSource, schema, historyExecutor);
        this.allChannel = options.channelPrefix() + "_all";
    }

    /**
     * Creates an unstarted backplane; nothing connects before {@link #start}.
     *
     * @param options the options
     * @return the backplane
     */
    public static PostgresBackplane create(PostgresBackplaneOptions options) {
        return new PostgresBackplane(Objects.requireNonNull(options, "options"));
    }

    /**
     * Creates an unstarted backplane from a URI (also the bench's convention).
     *
     * @param uri {@code postgres://user:pass@host:port/db?…}, {@code postgresql://…} or
     *     {@code jdbc:postgresql:…}; see {@link PostgresBackplaneOptions#of(String)}
     * @return the backplane
     * @throws IllegalArgumentException when the URI is malformed
     */
    public static PostgresBackplane create(String uri) {
        return create(PostgresBackplaneOptions.of(uri));
    }

    /**
     * The DDL of the backplane's tables for these options, for teams that manage migrations themselves
     * (with {@code createSchema(false)}). For the default names it equals the shipped
     * {@code dev/switchboard/backplane/postgres/schema.sql}.
     *
     * @param options the options naming the schema and tables
     * @return an idempotent SQL script
     */
    public static String schemaSql(PostgresBackplaneOptions options) {
        return new BackplaneSchema(options.schema(), options.tablePrefix()).script();
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public BackplaneOptions sharedOptions() {
        return options.backplane();
    }

    @Override
    public BackplaneCapabilities capabilities() {
        return BackplaneCapabilities.defaults().withDurableHistory(true);
    }

    /**
     * Starts listening in the background and returns at once, also when the server is down (the core's
     * health then says why until it connects). Creates the tables first if
     * {@link PostgresBackplaneOptions#createSchema()}.
     *
     * @throws IllegalStateException when already started or closed
     */
    @Override
    public synchronized void start(BackplaneLink link) {
        Objects.requireNonNull(link, "link");
        if (listen != null || closed) {
            throw new IllegalStateException("PostgresBackplane already started or closed");
        }
        this.link = link;
        listen = listenLoop(link.nodeId());
        listen.start();
        cleanup = Executors.newSingleThreadScheduledExecutor(Threads.daemon("switchboard-pg-cleanup-" + link.nodeId()));
        long period = options.attachmentCleanupPeriod().toMillis();
        cleanup.scheduleWithFixedDelay(this::cleanUpAttachments, period, period, TimeUnit.MILLISECONDS);
    }

    private ListenLoop listenLoop(String nodeId) {
        List<String> channels = List.of(allChannel, nodeChannel(nodeId));
        BackplaneLink core = link;
        // The LISTEN connection's own idle probe finds a server that vanished without closing the socket;
        // it waits as long as the core's liveness does.
        return new ListenLoop("switchboard-pg-listen-" + nodeId, listenEndpoint, channels,
                new ListenLoop.Handler() {
                    @Override
                    public void connected(Connection connection) throws SQLException {
                        if (options.createSchema()) {
                            schema.ensure(connection);
                        }
                    }

                    @Override
                    public void listening() {
                        core.connected(listenEndpoint.describe() + ", listening on " + String.join(", ", channels));
                    }

                    @Override
                    public void notification(Connection connection, PGNotification notification) {
                        receive(connection, notification);
                    }

                    @Override
                    public void disconnected() {
                        core.disconnected(listen == null ? "disconnected" : listen.detail());
                        // The pool's idle connections most likely died with this one.
                        if (ownPool != null) {
                            Pools.evictIdle(ownPool);
                        }
                    }
                }, core.backoff(), options.backplane().livenessTimeout());
    }

    private void receive(Connection c, PGNotification n) {
        byte[] message = BackplaneReceiver.decode(c, n, attachments, missedAttachments, rejected);
        if (message != null && !closed) {
            link.received(message);
        }
    }

    /** Sends a batch in one transaction on a pooled connection; blocks for its round trip. */
    @Override
    public void publish(List<Outbound> batch) throws SQLException {
        List<Notifier.Outgoing> out = new ArrayList<>(batch.size());
        for (Outbound o : batch) {
            out.add(new Notifier.Outgoing(o.broadcast() ? allChannel : nodeChannel(o.target()), o.message()));
        }
        try (Connection c = dataSource.getConnection()) {
            notifier.publishBatch(c, out);
        }
    }

    /** Drops the LISTEN connection so it reconnects and LISTENs again. */
    @Override
    public void renew() {
        ListenLoop l = listen;
        if (l != null) {
            l.reconnect();
        }
    }

    /** LISTENs on the new node channel with a new connection, then closes the old one. */
    @Override
    public synchronized boolean rename(String nodeId) {
        if (closed || listen == null) {
            return false;
        }
        ListenLoop old = listen;
        listen = listenLoop(nodeId);
        listen.start();
        Thread closer = new Thread(old::close, "switchboard-pg-listen-close");
        closer.setDaemon(true);
        closer.start();
        return true;
    }

    /**
     * Publishes a prepared message inside the caller's transaction: {@code pg_notify} (and, for a large
     * message, the attachment insert) run on {@code tx}, so every node, this one included, delivers the
     * message if and only if the transaction commits. Works before {@link #start} too; the attachments
     * table must exist for large messages.
     *
     * <p>Blocks for the statements' round trips on the caller's thread. Does not commit, roll back or
     * change the connection's auto-commit mode (in auto-commit mode the message is sent at once).
     *
     * @param tx the caller's connection, inside its transaction
     * @param message made by {@code board.to(audience).prepare(event, data)}
     * @throws SQLException when a statement fails; the caller's transaction is then aborted and should
     *     be rolled back
     */
    public void publish(Connection tx, PreparedMessage message) throws SQLException {
        Objects.requireNonNull(tx, "tx");
        Objects.requireNonNull(message, "message");
        notifier.publishIn(tx, allChannel, message.bytes());
    }

    /** @return the durable-topic store on the backplane's tables */
    @Override
    public Optional<History> history() {
        return Optional.of(history);
    }

    /**
     * @return how many notifications referred to an attachment that was already deleted (the receiver
     *     was slower than {@link PostgresBackplaneOptions#attachmentMaxAge()}); those messages were skipped
     */
    public long missedAttachments() {
        return missedAttachments.get();
    }

    /** @return how many notifications on the backplane's channels were not in its payload format */
    public long rejectedNotifications() {
        return rejected.get();
    }

    /** @return the options */
    public PostgresBackplaneOptions options() {
        return options;
    }

    private void cleanUpAttachments() {
        try (Connection c = dataSource.getConnection()) {
            int n = attachments.deleteOlderThan(c, options.attachmentMaxAge());
            if (n > 0) {
                log.debug("Deleted {} attachment(s) older than {}", n, options.attachmentMaxAge());
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("Attachment cleanup failed (will retry): {}", e.toString());
        }
    }

    private String nodeChannel(String nodeId) {
        return Identifiers.channel(options.channelPrefix(), "node_" + nodeId);
    }

    /** Stops listening and publishing (sending what is queued, briefly), releases connections. Idempotent. */
    @Override
    public void close() {
        ListenLoop l;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            l = listen;
        }
        if (l != null) {
            l.close();
        }
        ScheduledExecutorService c = cleanup;
        if (c != null) {
            c.shutdownNow();
        }
        historyExecutor.shutdown();
        if (ownPool != null) {
            ownPool.close();
        }
    }

    @Override
    public String toString() {
        return "PostgresBackplane[" + listenEndpoint.describe() + ", channels " + allChannel + "]";
    }
}
