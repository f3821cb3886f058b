package dev.switchboard.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.embedded.RedisServer;

/**
 * A real Redis server for the nodes of a multi-node test: the binary the embedded-redis jar ships, on
 * 127.0.0.1 and a free port, keeping nothing on disk. One per test class is enough: give each test its own
 * {@code channelPrefix} in the backplane URI. The testkit does not bring embedded-redis; a test that uses this
 * class declares {@code com.github.codemonstur:embedded-redis} with test scope.
 *
 * <p>As a JUnit extension it runs for one test class, and skips the class where the binary does not run:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final EmbeddedRedis REDIS = EmbeddedRedis.perTestClass();
 *
 * Switchboard node = Switchboard.builder().backplane(Backplanes.fromUri(REDIS.uri() + "?channelPrefix=t1")) ...
 * </pre>
 *
 * <p>Or started and closed by the test ({@link #start()}), which fails where the binary does not run.
 */
public final class EmbeddedRedis implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private RedisServer server;
    private int port;

    private EmbeddedRedis() {
    }

    /**
     * @return a server that starts before the first test of the class whose static field it is registered in
     *     ({@code @RegisterExtension}), or skips the class where the binary does not run, and stops after the
     *     last
     */
    public static EmbeddedRedis perTestClass() {
        return new EmbeddedRedis();
    }

    /**
     * Starts a server now.
     *
     * @return the running server; {@link #close()} stops it
     * @throws IllegalStateException when the binary does not run on this machine, or no port was free
     */
    public static EmbeddedRedis start() {
        EmbeddedRedis redis = new EmbeddedRedis();
        redis.startServer();
        return redis;
    }

    private void startServer() {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the embedded Redis", e);
        }
        try {
            RedisServer started = RedisServer.newRedisServer().port(free).bind("127.0.0.1").setting("save \"\"")
                    .setting("appendonly no").build();
            started.start();
            server = started;
            port = free;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the Redis binary of embedded-redis does not run here: " + e, e);
        }
    }

    /** Starts the server before the class's tests; where the binary does not run, skips them. */
    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            startServer();
        } catch (IllegalStateException e) {
            Assumptions.abort(e.getMessage());
        }
    }

    /** Stops the server after the class's tests. */
    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /**
     * @return the server's port on 127.0.0.1
     * @throws IllegalStateException when the server is not running
     */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("the embedded Redis is not running");
        }
        return port;
    }

    /**
     * @return the backplane URI of this server, {@code redis://127.0.0.1:PORT}, without options
     * @throws IllegalStateException when the server is not running
     */
    public String uri() {
        return "redis://127.0.0.1:" + port();
    }

    /**
     * Stops the server; nothing when it is not running.
     *
     * @throws IllegalStateException when it could not be stopped
     */
    @Override
    public void close() {
        RedisServer s = server;
        server = null;
        if (s != null) {
            try {
                s.stop();
            } catch (IOException e) {
                throw new IllegalStateException("could not stop the embedded Redis on port " + port, e);
            }
        }
    }
}
