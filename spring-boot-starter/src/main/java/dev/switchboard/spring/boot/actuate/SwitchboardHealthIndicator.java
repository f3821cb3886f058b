package dev.switchboard.spring.boot.actuate;

import dev.switchboard.Switchboard;
import dev.switchboard.spring.boot.internal.HealthDetails;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code switchboard} component of Actuator's health endpoint on Spring Boot 3: {@code UP} while the
 * backplane is up, {@code DOWN} otherwise (the node still serves its own clients, but messages to and from
 * other nodes are lost), with the same details as the Jetty transport's {@code GET /health}:
 *
 * <pre>{@code
 * {"status":"UP","details":{"node":"n-1","connections":12,
 *   "backplane":{"up":true,"name":"redis","detail":"","dropped":0},
 *   "cluster":{"nodes":["n-1","n-2"],"rejected":0,"untrusted":0}}}
 * }</pre>
 *
 * <p>Reads the node's last known state; never blocks on the backplane. Thread-safe. On Spring Boot 4 the
 * same component comes from {@link dev.switchboard.spring.boot.health.SwitchboardHealthContributor}.
 */
public final class SwitchboardHealthIndicator implements HealthIndicator {
    private final Switchboard board;

    /** @param board the node */
    public SwitchboardHealthIndicator(Switchboard board) {
        this.board = Objects.requireNonNull(board, "board");
    }

    @Override
    public Health health() {
        HealthDetails.Snapshot s = HealthDetails.of(board);
        return (s.up() ? Health.up() : Health.down()).withDetails(s.details()).build();
    }
}
