package dev.switchboard.postgres.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A deliberately small connection pool, used when the application gives a URL rather than its own
 * {@link DataSource}: at most {@code maxSize} connections, opened on demand, kept while idle.
 * {@link #getConnection()} blocks up to the borrow timeout for a free slot, validates a connection
 * that has been idle for a while, and returns a handle whose {@code close()} gives the connection back
 * (rolled back and in auto-commit mode). A connection found closed on return (the server went away)
 * is discarded together with every idle one, since they shared its fate.
 */
public final class ConnectionPool implements DataSource, AutoCloseable {
    private static final long VALIDATE_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record Idle(Connection connection, long since) { }

    private final JdbcEndpoint endpoint;
    private final Semaphore slots;
    private final Duration borrowTimeout;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private volatile boolean closed;

    /**
     * @param endpoint where to connect
     * @param maxSize the most connections open at once, at least 1
     * @param borrowTimeout how long {@link #getConnection()} waits for a free slot
     */
    public ConnectionPool(JdbcEndpoint endpoint, int maxSize, Duration borrowTimeout) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1: " + maxSize);
        }
        this.endpoint = endpoint;
        this.slots = new Semaphore(maxSize, true);
        this.borrowTimeout = borrowTimeout;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (closed) {
            throw new SQLTransientConnectionException("connection pool is closed", "08003");
        }
        try {
            if (!slots.tryAcquire(borrowTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException("no free connection to " + endpoint.describe()
                        + " within " + borrowTimeout.toMillis() + " ms", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a connection", "08001", e);
        }
        try {
            return handle(take());
        } catch (SQLException | RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    private Connection take() throws SQLException {
        while (true) {
            Idle i;
            synchronized (idle) {
                i = idle.pollFirst();
            }
            if (i == null) {
                return endpoint.open(new Properties());
            }
            boolean stale = System.nanoTime() - i.since() > VALIDATE_AFTER_IDLE_NANOS;
            if (!stale || i.connection().isValid(2)) {
                return i.connection();
            }
            quietlyClose(i.connection());
        }
    }

    private void giveBack(Connection c, boolean touchedState) {
        try {
            if (c.isClosed()) {
                evictIdle();
                return;
            }
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            if (touchedState) {
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            if (closed) {
                quietlyClose(c);
                return;
            }
            synchronized (idle) {
                idle.addFirst(new Idle(c, System.nanoTime()));
            }
        } catch (SQLException | RuntimeException e) {
            quietlyClose(c);
            evictIdle();
        } finally {
            slots.release();
        }
    }

    /**
     * Closes every idle connection, e.g. when another connection to the same server just failed and
     * they are likely dead too (a restart shorter than the idle validation age would hide it).
     */
    public void evictIdle() {
        synchronized (idle) {
            for (Idle i : idle) {
                quietlyClose(i.connection());
            }
            idle.clear();
        }
    }

    private Connection handle(Connection real) {
        InvocationHandler h = new InvocationHandler() {
            private boolean returned;
            private boolean touchedState;

            @Override
            public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
                switch (m.getName()) {
                    case "close":
                        synchronized (this) {
                            if (!returned) {
                                returned = true;
                                giveBack(real, touchedState);
                            }
                        }
                        return null;
                    case "isClosed":
                        return returned || real.isClosed();
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "toString":
                        return "pooled " + real;
                    case "setReadOnly", "setTransactionIsolation":
                        touchedState = true;
                        break;
                    default:
                        break;
                }
                if (returned) {
                    throw new SQLException("connection was returned to the pool", "08003");
                }
                try {
                    return m.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(ConnectionPool.class.getClassLoader(),
                new Class<?>[] {Connection.class}, h);
    }

    /** Closes idle connections now and borrowed ones when they are given back. Idempotent. */
    @Override
    public void close() {
        closed = true;
        evictIdle();
    }

    private static void quietlyClose(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // already broken: nothing more to release
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("this pool connects with its configured credentials only");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // not used: the pool logs nothing
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the URL's connectTimeout applies
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("SLF4J only");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "ConnectionPool[" + endpoint.describe() + "]";
    }
}
