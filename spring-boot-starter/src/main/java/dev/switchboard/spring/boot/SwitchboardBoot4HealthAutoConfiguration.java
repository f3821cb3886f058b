package dev.switchboard.spring.boot;

import dev.switchboard.Switchboard;
import dev.switchboard.spring.boot.health.SwitchboardHealthContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * On Spring Boot 4 (health API in {@code org.springframework.boot.health}): adds the {@code switchboard}
 * component to Actuator's health endpoint; {@code management.health.switchboard.enabled=false} turns it off.
 * On Boot 3 {@link SwitchboardHealthAutoConfiguration} does the same with Boot 3's API.
 */
@AutoConfiguration(after = SwitchboardAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(Switchboard.class)
@ConditionalOnEnabledHealthIndicator("switchboard")
public class SwitchboardBoot4HealthAutoConfiguration {

    /** Creates the auto-configuration; Spring does. */
    public SwitchboardBoot4HealthAutoConfiguration() {
    }

    /**
     * @param board the node
     * @return its health indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "switchboardHealthIndicator")
    public SwitchboardHealthContributor switchboardHealthIndicator(Switchboard board) {
        return new SwitchboardHealthContributor(board);
    }
}
