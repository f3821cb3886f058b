package dev.switchboard.spring.boot;

import dev.switchboard.Switchboard;
import dev.switchboard.metrics.micrometer.SwitchboardMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Binds the node to the application's Micrometer {@link MeterRegistry} (Actuator's) when
 * {@code switchboard-metrics-micrometer} is on the class path: the {@link SwitchboardMetrics} event
 * listener feeds the counters, and its gauges watch the node (connections, backplane, cluster).
 */
@AutoConfiguration(before = SwitchboardAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
        // the same on Spring Boot 4
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(name = {"dev.switchboard.metrics.micrometer.SwitchboardMetrics", "io.micrometer.core.instrument.MeterRegistry"})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "switchboard", name = "enabled", havingValue = "true", matchIfMissing = true)
public class SwitchboardMetricsAutoConfiguration {

    /** Creates the auto-configuration; Spring does. */
    public SwitchboardMetricsAutoConfiguration() {
    }

    /**
     * @param registry the application's registry
     * @return the metrics, an event listener the node picks up
     */
    @Bean
    @ConditionalOnMissingBean
    public SwitchboardMetrics switchboardMetrics(MeterRegistry registry) {
        return SwitchboardMetrics.create(registry);
    }

    /**
     * @param metrics the metrics
     * @param boards the node
     * @return registers the gauges once every singleton exists
     */
    @Bean
    public SmartInitializingSingleton switchboardMetricsGauges(SwitchboardMetrics metrics,
                                                                ObjectProvider<Switchboard> boards) {
        return () -> boards.ifAvailable(metrics::monitor);
    }
}
