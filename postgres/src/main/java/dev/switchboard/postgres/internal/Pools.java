package dev.switchboard.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.Driver;

/**
 * The HikariCP pool the backplane and the repository open when the application gives a URL rather than its
 * own {@code DataSource}. Connections are opened on demand (none while the pool is idle, so an unreachable
 * server never delays a start) and kept while in use, up to {@code poolSize}; HikariCP checks a connection
 * that was idle before handing it out, rolls back what a borrower left uncommitted and evicts connections
 * that failed with a connection error.
 */
public final class Pools {
    /**
     * How long {@code getConnection()} waits for a connection (all in use, or the server unreachable) before
     * it fails, which the callers report as {@code unavailable}.
     */
    public static final Duration BORROW_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private Pools() {
    }

    /**
     * Opens a pool; no connection is made before the first {@code getConnection()}.
     *
     * @param endpoint where to connect, with the credentials
     * @param size the most connections open at once, at least 1
     * @param purpose names the pool and its threads, e.g. {@code backplane}
     * @return the pool; its owner closes it
     */
    public static HikariDataSource open(JdbcEndpoint endpoint, int size, String purpose) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be at least 1: " + size);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("switchboard-pg-" + purpose + "-" + POOLS.incrementAndGet());
        // The driver class itself, not a DriverManager look-up, which can miss a driver in another class loader.
        config.setDriverClassName(Driver.class.getName());
        config.setJdbcUrl(endpoint.url());
        config.setUsername(endpoint.user());
        config.setPassword(endpoint.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(BORROW_TIMEOUT.toMillis());
        config.setValidationTimeout(Duration.ofSeconds(2).toMillis());
        // Start at once, also while the server is down: the first borrower finds out.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /**
     * Closes the pool's idle connections now and the borrowed ones when they come back, e.g. when another
     * connection to the same server just failed and they most likely died with it.
     *
     * @param pool a pool from {@link #open}
     */
    public static void evictIdle(HikariDataSource pool) {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean != null) {
            bean.softEvictConnections();
        }
    }
}
