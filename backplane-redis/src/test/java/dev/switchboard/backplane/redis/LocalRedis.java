package dev.switchboard.backplane.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One plain {@code redis-server} for a test class, registered as
 * {@code @RegisterExtension static final LocalRedis redis = new LocalRedis();}: started on a free port in a
 * directory of its own before the class's {@code @BeforeAll} methods (the class is skipped where no Redis
 * binary runs, see {@link RedisBinary#any()}), killed and its directory deleted after the class's last test.
 */
final class LocalRedis implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private RedisProcess server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        RedisBinary binary = RedisBinary.any().orElse(null);
        assumeTrue(binary != null, "no Redis binary: embedded-redis's does not run here and no redis-server on PATH");
        dir = Files.createTempDirectory("switchboard-redis-");
        server = new RedisProcess(binary, dir).start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            dir = null;
        }
    }

    /** @return the running server (killed and started again by the outage tests) */
    RedisProcess server() {
        return server;
    }

    /** @return its {@code redis://} URI */
    String uri() {
        return server.uri();
    }
}
