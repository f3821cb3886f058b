package dev.switchboard.backplane.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.spi.Backplane;
import dev.switchboard.testkit.BackplaneCompatibilityKit;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backplane contract against a real Redis started by the test: the binary bundled in embedded-redis
 * (Redis 6.2) or, where that does not run, {@code redis-server} from the PATH. The outage tests kill the
 * process with SIGKILL and start it again, empty, on the same port.
 */
class RedisBackplaneCompatibilityTest extends BackplaneCompatibilityKit {
    @TempDir
    static Path dir;
    private static RedisProcess server;
    private final String prefix = "kit-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startRedis() {
        RedisBinary binary = RedisBinary.any().orElse(null);
        assumeTrue(binary != null, "no Redis binary: embedded-redis's does not run here and no redis-server on PATH");
        server = new RedisProcess(binary, dir).start();
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Backplane createBackplane() {
        return RedisBackplane.create(server.uri() + "?channelPrefix=" + prefix);
    }

    @Override
    protected boolean canRestartServer() {
        return true;
    }

    @Override
    protected void stopServer() {
        server.kill();
    }

    @Override
    protected void startServer() {
        server.start();
    }
}
