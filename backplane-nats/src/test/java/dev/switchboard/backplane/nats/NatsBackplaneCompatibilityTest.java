package dev.switchboard.backplane.nats;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.spi.Backplane;
import dev.switchboard.testkit.BackplaneCompatibilityKit;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole backplane contract against a {@code nats-server -js} started by the test (the binary from the
 * PATH; skipped with a message when there is none). The outage tests kill the process with SIGKILL and start
 * it again on the same port and JetStream store, so durable topics keep their epoch.
 */
class NatsBackplaneCompatibilityTest extends BackplaneCompatibilityKit {
    @TempDir
    static Path dir;
    private static NatsServerProcess server;
    private final String namespace = "kit-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startNats() {
        server = NatsServerProcess.find(dir).orElse(null);
        assumeTrue(server != null, "no nats-server on the PATH (Debian: apt-get install nats-server); NATS tests skipped");
        server.start();
    }

    @AfterAll
    static void stopNats() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Backplane createBackplane() {
        return NatsBackplane.create(server.uri() + "?namespace=" + namespace);
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
