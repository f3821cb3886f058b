package dev.switchboard.crud.mongo;

import com.mongodb.client.MongoClient;
import dev.switchboard.crud.ChangeFeed;
import dev.switchboard.crud.Repository;
import dev.switchboard.mongodb.internal.Clients;
import dev.switchboard.mongodb.internal.MongoUris;
import dev.switchboard.spi.RepositoryFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates {@link MongoRepository}s and {@link MongoChangeFeed}s for {@code mongodb://} URIs, so that
 * {@code --repository mongodb://…} works with {@link dev.switchboard.crud.Repositories#fromUri}. The
 * collection is the one named like the Switchboard collection, in the database of the URI's path, or
 * of {@code ?switchboardDatabase=…}, or {@code switchboard}. Other {@code switchboard…} settings (those
 * of the backplane) are ignored, so one URI can serve both.
 *
 * <p>Repositories and feeds of one connection string share one {@link MongoClient}, created on first use
 * and kept for the life of the JVM (Repository has no close). Registered in
 * {@code META-INF/services/dev.switchboard.spi.RepositoryFactory}.
 */
public final class MongoRepositoryFactory implements RepositoryFactory {
    private static final Map<String, MongoClient> CLIENTS = new ConcurrentHashMap<>();

    /** Used by the ServiceLoader. */
    public MongoRepositoryFactory() {
    }

    @Override
    public boolean supports(String uri) {
        return MongoUris.isMongoUri(uri);
    }

    @Override
    public Repository create(String uri, String collection) {
        MongoUris.Parsed p = MongoUris.parse(uri);
        return MongoRepository.create(client(p.connectionString()).getDatabase(p.database("switchboard"))
                .getCollection(collection));
    }

    @Override
    public ChangeFeed changeFeed(String uri, String collection) {
        MongoUris.Parsed p = MongoUris.parse(uri);
        return MongoChangeFeed.create(client(p.connectionString()), p.database("switchboard"), collection);
    }

    private static MongoClient client(String connectionString) {
        return CLIENTS.computeIfAbsent(connectionString, cs -> Clients.create(cs, Duration.ofSeconds(5)));
    }
}
