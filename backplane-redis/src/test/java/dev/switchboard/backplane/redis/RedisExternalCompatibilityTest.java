package dev.switchboard.backplane.redis;

import dev.switchboard.spi.Backplane;
import dev.switchboard.testkit.BackplaneCompatibilityKit;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The backplane contract against the external Redis named by {@code SWITCHBOARD_TEST_REDIS_URI} (any URI
 * form of {@link RedisBackplaneOptions}); skipped when it is not set. The outage tests do not run: the
 * test does not own that server. Each test uses its own channel prefix and deletes the history keys it
 * made (standalone servers only), so a shared server is fine.
 */
@EnabledIfEnvironmentVariable(named = "SWITCHBOARD_TEST_REDIS_URI", matches = ".+")
class RedisExternalCompatibilityTest extends BackplaneCompatibilityKit {
    private final String prefix = "kit-ext-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Backplane createBackplane() {
        String uri = System.getenv("SWITCHBOARD_TEST_REDIS_URI");
        return RedisBackplane.create(uri + (uri.contains("?") ? "&" : "?") + "channelPrefix=" + prefix);
    }

    @AfterEach
    void deleteHistoryKeys() {
        RedisBackplaneOptions o = RedisBackplaneOptions.of(System.getenv("SWITCHBOARD_TEST_REDIS_URI"));
        if (o.topology() != RedisTopology.STANDALONE) {
            return;
        }
        RedisClient client = RedisClient.create(o.endpoint().replaceFirst("^rediss?://", o.tls() ? "rediss://" : "redis://")
                .replaceFirst("://", "://" + (o.password() == null ? "" : (o.username() == null ? "" : o.username())
                        + ":" + o.password() + "@")));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            ScanIterator.scan(c.sync(), ScanArgs.Builder.matches(prefix + ":*").limit(500))
                    .forEachRemaining(key -> c.sync().del(key));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
