package dev.switchboard.spring.boot.health;

import dev.switchboard.Switchboard;
import dev.switchboard.spring.boot.internal.HealthDetails;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code switchboard} component of Actuator's health endpoint on Spring Boot 4 (whose health API moved to
 * {@code org.springframework.boot.health}): the same status and details as
 * {@link dev.switchboard.spring.boot.actuate.SwitchboardHealthIndicator} on Boot 3. Reads the node's last
 * known state; never blocks. Thread-safe.
 */
public final class SwitchboardHealthContributor implements HealthIndicator {
    private final Switchboard board;

    /** @param board the node */
    public SwitchboardHealthContributor(Switchboard board) {
        this.board = Objects.requireNonNull(board, "board");
    }

    @Override
    public Health health() {
        HealthDetails.Snapshot s = HealthDetails.of(board);
        return (s.up() ? Health.up() : Health.down()).withDetails(s.details()).build();
    }
}
