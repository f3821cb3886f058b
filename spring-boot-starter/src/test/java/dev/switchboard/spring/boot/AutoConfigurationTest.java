package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.backplane.InMemoryBackplane;
import dev.switchboard.http.HttpApiOptions;
import dev.switchboard.http.HttpAuthorizer;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneHealth;
import dev.switchboard.spring.boot.actuate.SwitchboardHealthIndicator;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/** What the auto-configuration builds from properties and beans, without a web server. */
class AutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
            SwitchboardAutoConfiguration.class, SwitchboardWebSocketAutoConfiguration.class,
            SwitchboardHealthAutoConfiguration.class));

    @Test
    void everyPropertyDefaultIsTheCoresDefault() {
        SwitchboardOptions fromDefaults = new SwitchboardProperties().toOptions();
        SwitchboardOptions core = SwitchboardOptions.defaults();
        assertThat(fromDefaults).usingRecursiveComparison().ignoringFields("nodeId").isEqualTo(core);
    }

    @Test
    void propertiesBecomeTheNodesOptions() {
        runner.withPropertyValues("switchboard.node-id=boot-1", "switchboard.heartbeat=7s",
                        "switchboard.max-frame-bytes=1024", "switchboard.max-queued-bytes=4096",
                        "switchboard.rate-limit=0", "switchboard.handler-threads=3", "switchboard.request-timeout=2s",
                        "switchboard.cluster-heartbeat=1s", "switchboard.cluster-query-timeout=500ms",
                        "switchboard.history-timeout=4s", "switchboard.history-check-interval=0s")
                .run(context -> {
                    SwitchboardOptions o = context.getBean(Switchboard.class).options();
                    assertThat(o.nodeId()).isEqualTo("boot-1");
                    assertThat(o.heartbeat()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(o.maxFrameBytes()).isEqualTo(1024);
                    assertThat(o.maxQueuedBytes()).isEqualTo(4096);
                    assertThat(o.rateLimit()).isZero();
                    assertThat(o.handlerThreads()).isEqualTo(3);
                    assertThat(o.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(o.clusterHeartbeat()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(o.clusterQueryTimeout()).isEqualTo(Duration.ofMillis(500));
                    assertThat(o.historyTimeout()).isEqualTo(Duration.ofSeconds(4));
                    assertThat(o.historyCheckInterval()).isZero();
                });
    }

    @Test
    void aClusterKeyMakesTheNodeSignWhatItSendsAndAShortOneFailsTheStart() {
        String key = "boot-cluster-key-0123456789-abcdefghijkl";
        runner.withUserConfiguration(BusBackplane.class)
                .withPropertyValues("switchboard.cluster-trust.key=" + key).run(context -> {
                    byte[] prepared = context.getBean(Switchboard.class).to(dev.switchboard.Audience.everyone())
                            .prepare("x", 1).bytes();
                    String keyId = dev.switchboard.ClusterTrust.builder().key(key).build().keyId();
                    assertThat(new String(prepared, java.nio.charset.StandardCharsets.UTF_8))
                            .startsWith("#sbsig1 " + keyId + " ").doesNotContain(key);
                });
        runner.withUserConfiguration(BusBackplane.class).run(context -> assertThat(new String(context
                .getBean(Switchboard.class).to(dev.switchboard.Audience.everyone()).prepare("x", 1).bytes(),
                java.nio.charset.StandardCharsets.UTF_8)).startsWith("{"));
        runner.withPropertyValues("switchboard.cluster-trust.key=short").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("cluster key");
        });
    }

    @Test
    void anInvalidValueFailsTheStartWithItsName() {
        runner.withPropertyValues("switchboard.node-id=not valid!").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("nodeId");
        });
        runner.withPropertyValues("switchboard.backplane=kafka://nowhere").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("no backplane module")
                    .hasMessageContaining("kafka://nowhere");
        });
    }

    @Test
    void offWhenDisabled() {
        runner.withPropertyValues("switchboard.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(Switchboard.class);
            assertThat(context).doesNotHaveBean(WebSocketConfigurer.class);
        });
    }

    @Test
    void withoutAWebServerThereIsANodeButNoEndpoint() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(Switchboard.class);
            assertThat(context).doesNotHaveBean(WebSocketConfigurer.class);
            assertThat(context.getBean(Switchboard.class).backplaneHealth().name()).isEqualTo("local");
        });
    }

    @Test
    void aBackplaneBeanIsUsedAndItsHealthReported() {
        runner.withUserConfiguration(BusBackplane.class).run(context -> {
            Switchboard board = context.getBean(Switchboard.class);
            assertThat(context.getBean(Backplane.class)).isSameAs(context.getBean(BusBackplane.class).backplane);
            BackplaneHealth health = board.backplaneHealth();
            assertThat(health.up()).isTrue();
            assertThat(context.getBean(SwitchboardHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void theApplicationsObjectMapperConvertsEventData() {
        ObjectMapper mapper = new ObjectMapper();
        runner.withBean(ObjectMapper.class, () -> mapper)
                .run(context -> assertThat(context.getBean(Switchboard.class).mapper()).isSameAs(mapper));
    }

    @Test
    void theConfigurationMetadataDocumentsEveryPropertyWithItsDefault() throws Exception {
        Map<String, JsonNode> byName = new HashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            new ObjectMapper().readTree(in).path("properties").forEach(p -> byName.put(p.path("name").asText(), p));
        }
        for (String name : List.of("enabled", "path", "node-id", "backplane", "allowed-origins", "heartbeat",
                "max-frame-bytes", "max-queued-bytes", "request-timeout", "rate-limit", "handler-threads",
                "handler-queue", "cluster-heartbeat", "cluster-query-timeout", "history-timeout", "history-check-interval", "shutdown-timeout",
                "durable-topics", "cloud-event-source", "http.max-body-size", "http.emit.enabled", "http.emit.path",
                "http.emit.api-keys", "http.emit.dedup-window", "http.emit.dedup-capacity", "http.events.enabled",
                "http.events.path", "http.events.api-keys", "cluster-trust.key", "cluster-trust.previous-keys",
                "cluster-trust.accept-unsigned", "cluster-trust.max-age")) {
            JsonNode p = byName.get("switchboard." + name);
            assertThat(p).as("metadata of switchboard.%s", name).isNotNull();
            assertThat(p.path("description").asText()).as("description of switchboard.%s", name).isNotBlank();
        }
        assertThat(byName.get("switchboard.path").path("defaultValue").asText()).isEqualTo("/ws");
        assertThat(byName.get("switchboard.heartbeat").path("defaultValue").asText()).isEqualTo("25s");
        assertThat(byName.get("switchboard.max-queued-bytes").path("defaultValue").asLong()).isEqualTo(1_048_576L);
        assertThat(byName.get("switchboard.backplane").path("defaultValue").asText()).isEqualTo("none");
        assertThat(byName.get("switchboard.http.emit.enabled").path("defaultValue").asBoolean(true)).isFalse();
        assertThat(byName.get("switchboard.http.emit.path").path("defaultValue").asText()).isEqualTo("/api/emit");
        assertThat(byName.get("switchboard.http.events.enabled").path("defaultValue").asBoolean(true)).isFalse();
        assertThat(byName.get("switchboard.http.events.path").path("defaultValue").asText()).isEqualTo("/events");
    }

    private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(SwitchboardAutoConfiguration.class, SwitchboardHttpAutoConfiguration.class));

    @Test
    void aMalformedAllowedOriginFailsTheStartNamingIt() {
        web.withConfiguration(AutoConfigurations.of(SwitchboardWebSocketAutoConfiguration.class))
                .withPropertyValues("switchboard.allowed-origins=app.example.com").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("app.example.com");
                });
    }

    @Test
    void theHttpEndpointsAreOffByDefault() {
        web.run(context -> {
            HttpApiOptions api = context.getBean(HttpApiOptions.class);
            assertThat(api.emitEnabled()).isFalse();
            assertThat(api.cloudEvents()).isFalse();
            assertThat(api.services(context.getBean(Switchboard.class))).isEmpty();
        });
    }

    @Test
    void httpPropertiesBecomeTheApiOptionsAndTheNodesEmitOptions() {
        web.withPropertyValues("switchboard.http.emit.enabled=true", "switchboard.http.emit.path=/internal/push",
                        "switchboard.http.emit.api-keys.orders=orders-key-0123456789",
                        "switchboard.http.emit.dedup-window=1m", "switchboard.http.emit.dedup-capacity=10",
                        "switchboard.http.events.enabled=true", "switchboard.http.events.path=/ce",
                        "switchboard.http.max-body-size=1MB", "switchboard.cloud-event-source=/shop")
                .run(context -> {
                    HttpApiOptions api = context.getBean(HttpApiOptions.class);
                    assertThat(api.emitEnabled()).isTrue();
                    assertThat(api.emitPath()).isEqualTo("/internal/push");
                    assertThat(api.cloudEvents()).isTrue();
                    assertThat(api.cloudEventsPath()).isEqualTo("/ce");
                    assertThat(api.maxBodyBytes()).isEqualTo(1024 * 1024);
                    assertThat(api.services(context.getBean(Switchboard.class))).containsOnlyKeys("/internal/push", "/ce");
                    dev.switchboard.emit.EmitOptions emit = context.getBean(Switchboard.class).emitService().options();
                    assertThat(emit.dedupWindow()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(emit.dedupCapacity()).isEqualTo(10);
                });
    }

    @Test
    void theEmitApiWithoutCredentialsOrWithAShortKeyFailsTheStart() {
        web.withPropertyValues("switchboard.http.emit.enabled=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("switchboard.http.emit.api-keys")
                    .hasMessageContaining(SwitchboardHttpAutoConfiguration.EMIT_AUTHORIZER);
        });
        web.withPropertyValues("switchboard.http.emit.enabled=true", "switchboard.http.emit.api-keys.orders=short")
                .run(context -> assertThat(context).hasFailed());
        web.withPropertyValues("switchboard.http.emit.enabled=true")
                .withBean(SwitchboardHttpAutoConfiguration.EMIT_AUTHORIZER, HttpAuthorizer.class,
                        () -> request -> dev.switchboard.Identity.user("caller"))
                .run(context -> assertThat(context.getBean(HttpApiOptions.class).emitEnabled()).isTrue());
    }

    @Configuration(proxyBeanMethods = false)
    static class BusBackplane {
        final Backplane backplane = InMemoryBackplane.bus().backplane();

        @Bean
        Backplane backplane() {
            return backplane;
        }
    }
}
