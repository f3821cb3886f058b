package dev.switchboard.spring.boot;

import dev.switchboard.Switchboard;
import dev.switchboard.spring.boot.actuate.SwitchboardHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@code switchboard} health component to Actuator's health endpoint when Actuator is on the
 * class path; {@code management.health.switchboard.enabled=false} turns it off.
 */
@AutoConfiguration(after = SwitchboardAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(Switchboard.class)
@ConditionalOnEnabledHealthIndicator("switchboard")
public class SwitchboardHealthAutoConfiguration {

    /** Creates the auto-configuration; Spring does. */
    public SwitchboardHealthAutoConfiguration() {
    }

    /**
     * @param board the node
     * @return its health indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "switchboardHealthIndicator")
    public SwitchboardHealthIndicator switchboardHealthIndicator(Switchboard board) {
        return new SwitchboardHealthIndicator(board);
    }
}
