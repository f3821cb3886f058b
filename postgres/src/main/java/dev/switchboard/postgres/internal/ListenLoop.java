package dev.switchboard.postgres.internal;

import dev.switchboard.spi.ReconnectBackoff;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dedicated connection that LISTENs on a fixed set of channels and polls for notifications on its
 * own thread ({@link PGConnection#getNotifications(int)}). When the connection fails it reconnects by
 * itself with jittered exponential backoff and LISTENs again; notifications sent while it was away
 * are lost (NOTIFY is not stored). An idle connection is probed with {@code SELECT 1} every
 * {@code probeInterval}, under a socket timeout, so a server that vanished without closing the TCP
 * connection is noticed too.
 *
 * <p>The handler runs on the loop's thread, may use the connection for short queries (reading an
 * attachment or a row), and must not block otherwise.
 */
public final class ListenLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ListenLoop.class);
    private static final int POLL_MILLIS = 250;

    /** What the loop does on its thread. */
    public interface Handler {
        /**
         * Called after each (re)connect, before LISTEN: create schema objects, install triggers.
         *
         * @param connection the new connection
         * @throws SQLException to fail this attempt (the loop backs off and retries)
         */
        void connected(Connection connection) throws SQLException;

        /**
         * @param connection the listening connection, for short queries
         * @param notification a notification on one of the channels
         */
        void notification(Connection connection, PGNotification notification);

        /** Called on the loop's thread once LISTEN is in place on a (new) connection. */
        default void listening() {
        }

        /** Called on the loop's thread after the connection failed, before the reconnect delay. */
        default void disconnected() {
        }
    }

    private final String name;
    private final JdbcEndpoint endpoint;
    private final List<String> channels;
    private final Handler handler;
    private final ReconnectBackoff backoff;
    private final Duration probeInterval;
    private final Object wakeup = new Object();
    private volatile Thread thread;
    private volatile Connection connection;
    private volatile boolean listening;
    private volatile boolean closed;
    private volatile String detail = "connecting";
    private volatile long connects;

    /**
     * @param name names the thread and log lines
     * @param endpoint where to connect
     * @param channels the channels to LISTEN on (plain identifiers; they are quoted)
     * @param handler what to do on connect and per notification
     * @param backoff reconnect delays
     * @param probeInterval how long the connection may stay silent before a probe query
     */
    public ListenLoop(String name, JdbcEndpoint endpoint, List<String> channels, Handler handler, ReconnectBackoff backoff,
                      Duration probeInterval) {
        this.name = Objects.requireNonNull(name, "name");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.channels = List.copyOf(channels);
        this.handler = Objects.requireNonNull(handler, "handler");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.probeInterval = Objects.requireNonNull(probeInterval, "probeInterval");
    }

    /** Starts the loop's thread; returns at once. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException(name + " already started");
        }
        thread = Threads.daemon(name).newThread(this::run);
        thread.start();
    }

    /** @return true while LISTEN is in place on a live connection */
    public boolean listening() {
        return listening && !closed;
    }

    /** @return a short description of the state, e.g. why it is not listening */
    public String detail() {
        return detail;
    }

    /** @return how many times the loop connected and LISTENed, for tests */
    public long connects() {
        return connects;
    }

    private void run() {
        int failures = 0;
        while (!closed) {
            try (Connection c = endpoint.open(listenProperties())) {
                connection = c;
                if (closed) {
                    break;
                }
                handler.connected(c);
                try (Statement st = c.createStatement()) {
                    for (String ch : channels) {
                        st.execute("LISTEN " + Identifiers.quote(ch));
                    }
                }
                listening = true;
                connects++;
                detail = "listening on " + String.join(", ", channels);
                if (failures > 0) {
                    log.info("{}: reconnected to {} and listening again", name, endpoint.describe());
                }
                failures = 0;
                handler.listening();
                poll(c);
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    break;
                }
                detail = "not listening: " + e.getMessage() + " (reconnecting)";
                try {
                    handler.disconnected();
                } catch (RuntimeException ex) {
                    log.warn("{}: disconnect handler failed", name, ex);
                }
                if (failures == 0) {
                    log.warn("{}: connection to {} failed, reconnecting: {}", name, endpoint.describe(), e.toString());
                } else {
                    log.debug("{}: reconnect attempt {} failed: {}", name, failures, e.toString());
                }
                pause(backoff.delayMillis(failures++));
            } finally {
                listening = false;
                connection = null;
            }
        }
        detail = "closed";
    }

    private void poll(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long lastHeard = System.nanoTime();
        while (!closed) {
            PGNotification[] batch = pg.getNotifications(POLL_MILLIS);
            long now = System.nanoTime();
            if (batch != null && batch.length > 0) {
                lastHeard = now;
                for (PGNotification n : batch) {
                    if (closed) {
                        return;
                    }
                    try {
                        handler.notification(c, n);
                    } catch (RuntimeException e) {
                        log.error("{}: handling a notification on {} failed", name, n.getName(), e);
                    }
                }
            } else if (now - lastHeard > probeInterval.toNanos()) {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT 1");
                }
                lastHeard = now;
            }
        }
    }

    private Properties listenProperties() {
        Properties p = new Properties();
        // Bounds the probe: a server that vanished without a FIN fails the probe instead of hanging it.
        long socketTimeout = Math.max(5, probeInterval.toSeconds() * 2);
        if (!endpoint.url().contains("socketTimeout=")) {
            p.setProperty("socketTimeout", Long.toString(socketTimeout));
        }
        if (!endpoint.url().contains("tcpKeepAlive=")) {
            p.setProperty("tcpKeepAlive", "true");
        }
        return p;
    }

    private void pause(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (wakeup) {
            long left;
            while (!closed && (left = deadline - System.currentTimeMillis()) > 0) {
                try {
                    wakeup.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Drops the current connection so the loop connects and LISTENs again (a subscription that stopped
     * delivering while the connection looked fine). Never blocks.
     */
    public void reconnect() {
        Connection c = connection;
        if (c != null) {
            try {
                c.unwrap(org.postgresql.PGConnection.class).cancelQuery();
            } catch (SQLException | RuntimeException e) {
                // then the close below
            }
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                // the loop notices either way
            }
        }
    }

    /** Stops listening and closes the connection; waits briefly for the thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2 * POLL_MILLIS + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                // closing a broken connection
            }
        }
    }
}
