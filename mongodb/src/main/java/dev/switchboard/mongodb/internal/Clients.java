package dev.switchboard.mongodb.internal;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.connection.ClusterType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one way Switchboard makes a {@link MongoClient} from a connection string (the backplane's own client
 * and the repository factory's shared ones), and the one check whether a client talks to a standalone
 * server (which cannot run change streams).
 */
public final class Clients {

    private Clients() {
    }

    /**
     * @param connectionString a {@code mongodb://} or {@code mongodb+srv://} connection string without
     *     Switchboard's settings
     * @param serverSelectionTimeout used unless the string sets {@code serverSelectionTimeoutMS}; the driver's
     *     own default (30 s) would hold a call that long while the server is down
     * @return a new client named {@code switchboard} unless the string sets {@code appName}; the caller closes it
     */
    public static MongoClient create(String connectionString, Duration serverSelectionTimeout) {
        ConnectionString cs = new ConnectionString(connectionString);
        MongoClientSettings.Builder settings = MongoClientSettings.builder().applyConnectionString(cs);
        if (cs.getServerSelectionTimeout() == null) {
            long ms = serverSelectionTimeout.toMillis();
            settings.applyToClusterSettings(b -> b.serverSelectionTimeout(ms, TimeUnit.MILLISECONDS));
        }
        if (cs.getApplicationName() == null) {
            settings.applicationName("switchboard");
        }
        return MongoClients.create(settings.build());
    }

    /** @param client a client @return true when it currently sees a standalone server (no change streams) */
    public static boolean isStandalone(MongoClient client) {
        return client.getClusterDescription().getType() == ClusterType.STANDALONE;
    }
}
