package dev.switchboard.backplane.redis;

import dev.switchboard.spi.Backplane;
import dev.switchboard.testkit.BackplaneCompatibilityKit;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backplane contract against a real Redis started by the test: the binary bundled in embedded-redis
 * (Redis 6.2) or, where that does not run, {@code redis-server} from the PATH. The outage tests kill the
 * process with SIGKILL and start it again, empty, on the same port.
 */
class RedisBackplaneCompatibilityTest extends BackplaneCompatibilityKit {
    @RegisterExtension
    static final LocalRedis redis = new LocalRedis();
    private final String prefix = "kit-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Backplane createBackplane() {
        return RedisBackplane.create(redis.uri() + "?channelPrefix=" + prefix);
    }

    @Override
    protected boolean canRestartServer() {
        return true;
    }

    @Override
    protected void stopServer() {
        redis.server().kill();
    }

    @Override
    protected void startServer() {
        redis.server().start();
    }
}
