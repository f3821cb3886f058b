package dev.switchboard.crud.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.crud.ChangeFeed;
import dev.switchboard.crud.Repository;
import dev.switchboard.postgres.internal.JdbcEndpoint;
import dev.switchboard.postgres.internal.Pools;
import dev.switchboard.postgres.internal.PostgresUri;
import dev.switchboard.spi.RepositoryFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes {@code --repository postgres://…} work through {@link dev.switchboard.crud.Repositories}: a
 * {@link PostgresRepository} on a table named like the collection, and a {@link PostgresChangeFeed} on
 * that table. Repositories made from the same URI share one HikariCP pool (a repository has no close in
 * the SPI, so the pools live as long as the JVM). Registered in
 * {@code META-INF/services/dev.switchboard.spi.RepositoryFactory}.
 */
public final class PostgresRepositoryFactory implements RepositoryFactory {
    private static final Map<String, HikariDataSource> POOLS = new ConcurrentHashMap<>();

    /** Creates the factory (for the service loader). */
    public PostgresRepositoryFactory() {
    }

    @Override
    public boolean supports(String uri) {
        return PostgresUri.supports(uri);
    }

    @Override
    public Repository create(String uri, String collection) {
        PostgresTableOptions o = PostgresTableOptions.of(uri, collection);
        String key = o.url() + "\u0000" + o.user() + "\u0000" + o.password();
        HikariDataSource pool = POOLS.computeIfAbsent(key, k -> Pools.open(
                new JdbcEndpoint(o.url(), o.user(), o.password()), o.poolSize(), "repositories"));
        return PostgresRepository.create(o.toBuilder().dataSource(pool).build());
    }

    @Override
    public ChangeFeed changeFeed(String uri, String collection) {
        return PostgresChangeFeed.create(PostgresTableOptions.of(uri, collection), collection);
    }
}
