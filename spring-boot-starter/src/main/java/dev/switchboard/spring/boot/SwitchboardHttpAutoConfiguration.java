package dev.switchboard.spring.boot;

import dev.switchboard.Switchboard;
import dev.switchboard.http.ApiKeys;
import dev.switchboard.http.HttpApiOptions;
import dev.switchboard.http.HttpAuthorizer;
import dev.switchboard.http.HttpService;
import dev.switchboard.http.servlet.HttpServiceServlet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;

/**
 * Serves the node's HTTP endpoints in the application's servlet container when they are enabled: the emit
 * API ({@code switchboard.http.emit.*}, {@code POST /api/emit}) and CloudEvents
 * ({@code switchboard.http.events.*}, {@code POST /events}) — the core's transport-neutral services, each
 * mounted as a servlet at its exact path. Both are off by default. An {@link HttpApiOptions} bean replaces
 * the properties altogether.
 *
 * <p>Who may call them: {@code api-keys} from the properties, and/or an {@link HttpAuthorizer} bean named
 * {@code switchboardEmitAuthorizer} or {@code switchboardEventsAuthorizer} (for example
 * {@code JwtAuthenticator.requiring("emit")}); a request either accepts gets in. The emit API refuses to
 * start without one of them.
 */
@AutoConfiguration(after = SwitchboardAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "jakarta.servlet.http.HttpServlet")
@ConditionalOnBean(Switchboard.class)
@ConditionalOnProperty(prefix = "switchboard", name = "enabled", havingValue = "true", matchIfMissing = true)
public class SwitchboardHttpAutoConfiguration {
    /** The name of an {@link HttpAuthorizer} bean that may call the emit API. */
    public static final String EMIT_AUTHORIZER = "switchboardEmitAuthorizer";
    /** The name of an {@link HttpAuthorizer} bean that may post CloudEvents. */
    public static final String EVENTS_AUTHORIZER = "switchboardEventsAuthorizer";

    /** Creates the auto-configuration; Spring does. */
    public SwitchboardHttpAutoConfiguration() {
    }

    /**
     * @param properties the {@code switchboard.http.*} properties
     * @param emitAuthorizer the application's authorizer of the emit API, if any
     * @param eventsAuthorizer the application's authorizer of the CloudEvents endpoint, if any
     * @return which HTTP endpoints are on, where, and who may call them
     * @throws IllegalArgumentException when the emit API is enabled without credentials, a key is too short,
     *     or a path is not an exact path
     */
    @Bean
    @ConditionalOnMissingBean
    public HttpApiOptions switchboardHttpApi(SwitchboardProperties properties,
                                             @Qualifier(EMIT_AUTHORIZER) ObjectProvider<HttpAuthorizer> emitAuthorizer,
                                             @Qualifier(EVENTS_AUTHORIZER) ObjectProvider<HttpAuthorizer> eventsAuthorizer) {
        SwitchboardProperties.Http http = properties.getHttp();
        HttpApiOptions.Builder b = HttpApiOptions.builder()
                .emitPath(http.getEmit().getPath())
                .cloudEvents(http.getEvents().isEnabled())
                .cloudEventsPath(http.getEvents().getPath())
                .maxBodyBytes((int) Math.min(Integer.MAX_VALUE, http.getMaxBodySize().toBytes()));
        if (http.getEmit().isEnabled()) {
            HttpAuthorizer emit = either(http.getEmit().getApiKeys(), emitAuthorizer.getIfAvailable());
            if (emit == null) {
                throw new IllegalArgumentException("switchboard.http.emit.enabled=true needs callers' credentials: "
                        + "switchboard.http.emit.api-keys.<caller>=<key> or an HttpAuthorizer bean named " + EMIT_AUTHORIZER);
            }
            b.emitApi(emit);
        }
        HttpAuthorizer events = either(http.getEvents().getApiKeys(), eventsAuthorizer.getIfAvailable());
        if (events != null) {
            b.cloudEventsAuthorizer(events);
        }
        return b.build();
    }

    /**
     * @param options which endpoints are on
     * @param board the node the services act on
     * @return adds one servlet per enabled endpoint, at its exact path (which wins over Spring MVC's {@code /})
     */
    @Bean
    public ServletContextInitializer switchboardHttpServices(HttpApiOptions options, Switchboard board) {
        Map<String, HttpService> services = options.services(board);
        return context -> services.forEach((path, service) ->
                context.addServlet("switchboard:" + path, new HttpServiceServlet(service)).addMapping(path));
    }

    /** @return the keys (valid for every scope) and/or the bean, either one accepting; null for neither */
    private static HttpAuthorizer either(Map<String, String> keys, HttpAuthorizer bean) {
        List<HttpAuthorizer> all = new ArrayList<>();
        if (!keys.isEmpty()) {
            ApiKeys.Builder b = ApiKeys.builder();
            keys.forEach(b::key);
            all.add(b.build());
        }
        if (bean != null) {
            all.add(bean);
        }
        return all.isEmpty() ? null : all.size() == 1 ? all.get(0) : HttpAuthorizer.anyOf(all.toArray(HttpAuthorizer[]::new));
    }
}
