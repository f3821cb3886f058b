package dev.switchboard.spring.boot.actuate;

import dev.switchboard.Switchboard;
import dev.switchboard.spi.BackplaneHealth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code switchboard} component of Actuator's health endpoint: {@code UP} while the backplane is up,
 * {@code DOWN} otherwise (the node still serves its own clients, but messages to and from other nodes are
 * lost), with the same details as the Jetty transport's {@code GET /health}:
 *
 * <pre>{@code
 * {"status":"UP","details":{"node":"n-1","connections":12,
 *   "backplane":{"up":true,"name":"redis","detail":"","dropped":0},
 *   "cluster":{"nodes":["n-1","n-2"],"rejected":0}}}
 * }</pre>
 *
 * <p>Reads the node's last known state; never blocks on the backplane. Thread-safe.
 */
public final class SwitchboardHealthIndicator implements HealthIndicator {
    private final Switchboard board;

    /** @param board the node */
    public SwitchboardHealthIndicator(Switchboard board) {
        this.board = Objects.requireNonNull(board, "board");
    }

    @Override
    public Health health() {
        BackplaneHealth backplane = board.backplaneHealth();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("up", backplane.up());
        b.put("name", backplane.name());
        b.put("detail", backplane.detail());
        b.put("dropped", backplane.droppedMessages());
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("nodes", List.copyOf(new java.util.TreeSet<>(board.cluster().nodes())));
        cluster.put("rejected", board.cluster().rejectedMessages());
        return (backplane.up() ? Health.up() : Health.down())
                .withDetail("node", board.nodeId())
                .withDetail("connections", board.connectionCount())
                .withDetail("backplane", b)
                .withDetail("cluster", cluster)
                .build();
    }
}
