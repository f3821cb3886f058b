package dev.switchboard.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.EventListener;
import dev.switchboard.Switchboard;
import dev.switchboard.backplane.Backplanes;
import dev.switchboard.crud.Repository;
import dev.switchboard.emit.EmitOptions;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.SubscriptionPolicy;
import dev.switchboard.spring.boot.internal.CompositeEventListener;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures a {@link Switchboard} node from {@link SwitchboardProperties} and the application's
 * beans:
 * <ul>
 *   <li>a {@link Backplane} bean, else one from {@code switchboard.backplane} ({@link Backplanes#fromUri});</li>
 *   <li>an {@link Authenticator} bean (default: everyone anonymous), a {@link SubscriptionPolicy} bean
 *       (default: no client subscriptions), every {@link EventListener} bean (the Micrometer binding among
 *       them), the application's Jackson {@link ObjectMapper} for event data;</li>
 *   <li>every {@link Repository} bean, exposed as the CRUD collection named after the bean;</li>
 *   <li>every {@link SwitchboardConfigurer} bean, run in order to register handlers;</li>
 *   <li>{@code switchboard.durable-topics}.</li>
 * </ul>
 * Declaring a {@code Switchboard} bean replaces all of this; the endpoint, health and metrics still apply to it.
 * Off with {@code switchboard.enabled=false}.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration",
        "org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration"})
@ConditionalOnClass(Switchboard.class)
@ConditionalOnProperty(prefix = "switchboard", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(SwitchboardProperties.class)
public class SwitchboardAutoConfiguration {

    /** Creates the auto-configuration; Spring does. */
    public SwitchboardAutoConfiguration() {
    }

    /**
     * @param properties the {@code switchboard.*} properties
     * @return the backplane named by {@code switchboard.backplane}; the node starts and closes it
     * @throws IllegalArgumentException when no module on the class path handles the URI
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public Backplane switchboardBackplane(SwitchboardProperties properties) {
        return Backplanes.fromUri(properties.getBackplane());
    }

    /**
     * Builds and starts the node (which connects its backplane) and runs the configurers. Closed when the
     * context closes, after the WebSockets were closed with 1001.
     *
     * @param properties the {@code switchboard.*} properties
     * @param backplane how nodes reach each other
     * @param authenticators the application's authenticator, if any
     * @param policies the application's subscription policy, if any
     * @param listeners the application's event listeners, in order
     * @param mappers the application's JSON mapper, if any
     * @param configurers the application's configurers, in order
     * @param beans where the {@link Repository} beans are found
     * @return the started node
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Switchboard switchboard(SwitchboardProperties properties, Backplane backplane,
                                   ObjectProvider<Authenticator> authenticators,
                                   ObjectProvider<SubscriptionPolicy> policies,
                                   ObjectProvider<EventListener> listeners,
                                   ObjectProvider<ObjectMapper> mappers,
                                   ObjectProvider<SwitchboardConfigurer> configurers,
                                   ListableBeanFactory beans) {
        Switchboard.Builder builder = Switchboard.builder()
                .options(properties.toOptions())
                .backplane(backplane)
                .clusterTrust(properties.getClusterTrust().toClusterTrust())
                .authenticator(authenticators.getIfAvailable(Authenticator::anonymous))
                .subscriptionPolicy(policies.getIfAvailable(SubscriptionPolicy::denyAll))
                .eventListener(CompositeEventListener.of(listeners.orderedStream().toList()))
                .cloudEventSource(properties.getCloudEventSource())
                .emitOptions(EmitOptions.defaults()
                        .withDedupWindow(properties.getHttp().getEmit().getDedupWindow())
                        .withDedupCapacity(properties.getHttp().getEmit().getDedupCapacity()));
        ObjectMapper mapper = mappers.getIfUnique();
        if (mapper != null) {
            builder.mapper(mapper);
        }
        // A Tracing bean (OtelTracing.create(openTelemetry) from switchboard-tracing-otel) gets spans.
        dev.switchboard.spi.Tracing tracing = beans.getBeanProvider(dev.switchboard.spi.Tracing.class).getIfUnique();
        if (tracing != null) {
            builder.tracing(tracing);
        }
        Switchboard board = builder.build();
        try {
            for (SwitchboardProperties.DurableTopic topic : properties.getDurableTopics()) {
                board.durableTopic(topic.getTopic(), topic.toRetention());
            }
            for (Map.Entry<String, Repository> e : beans.getBeansOfType(Repository.class).entrySet()) {
                board.crud(e.getKey(), e.getValue());
            }
            configurers.orderedStream().forEach(c -> c.configure(board));
        } catch (RuntimeException e) {
            board.close();
            throw e;
        }
        return board;
    }
}
