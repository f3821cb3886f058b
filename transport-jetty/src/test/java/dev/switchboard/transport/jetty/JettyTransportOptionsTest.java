package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.http.HttpApiOptions;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.http.HttpService;
import dev.switchboard.transport.internal.OpenSessions;
import dev.switchboard.transport.jetty.internal.JettyServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

class JettyTransportOptionsTest {

    @Test
    void defaults() {
        JettyTransportOptions o = JettyTransportOptions.defaults();

        assertThat(o.host()).isEqualTo("0.0.0.0");
        assertThat(o.port()).isEqualTo(8080);
        assertThat(o.path()).isEqualTo("/ws");
        assertThat(o.staticRoot()).isNull();
        assertThat(o.staticClasspathBase()).isNull();
        assertThat(o.tls()).isFalse();
        assertThat(o.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.maxThreads()).isEqualTo(Math.max(32, 4 * Runtime.getRuntime().availableProcessors()));
        assertThat(o.reservedThreads()).isEqualTo(-1);
        assertThat(o.stopTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.compression()).isFalse();
    }

    @Test
    void toBuilderRoundTrips() {
        JettyTransportOptions o = JettyTransportOptions.builder().host("127.0.0.1").port(0).path("/chat/{room}")
                .staticFiles(Path.of("web")).staticClasspath("static").tls(Path.of("k.p12"), "pw")
                .idleTimeout(Duration.ofSeconds(5)).maxThreads(16).reservedThreads(0).stopTimeout(Duration.ofMillis(100))
                .compression(true).build();

        assertThat(o.toBuilder().build()).isEqualTo(o);
        assertThat(o.tls()).isTrue();
        assertThat(o.toString()).doesNotContain("pw");
    }

    @Test
    void rejectsBadValues() {
        assertThatThrownBy(() -> JettyTransportOptions.builder().port(-1).build()).hasMessageContaining("port");
        assertThatThrownBy(() -> JettyTransportOptions.builder().port(70_000).build()).hasMessageContaining("port");
        assertThatThrownBy(() -> JettyTransportOptions.builder().path("ws").build()).hasMessageContaining("path");
        assertThatThrownBy(() -> JettyTransportOptions.builder().host(" ").build()).hasMessageContaining("host");
        assertThatThrownBy(() -> JettyTransportOptions.builder().maxThreads(2).build()).hasMessageContaining("maxThreads");
        assertThatThrownBy(() -> JettyTransportOptions.builder().reservedThreads(-2).build())
                .hasMessageContaining("reservedThreads");
        assertThatThrownBy(() -> JettyTransportOptions.builder().maxThreads(8).reservedThreads(8).build())
                .hasMessageContaining("reservedThreads");
        assertThatThrownBy(() -> JettyTransportOptions.builder().idleTimeout(Duration.ZERO).build())
                .hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> JettyTransportOptions.builder().stopTimeout(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("stopTimeout");
        assertThatThrownBy(() -> new JettyTransportOptions("0.0.0.0", 80, "/ws", null, null, Path.of("k"), null,
                Duration.ofSeconds(1), 8, Duration.ofSeconds(1), false, 1024, java.util.List.of(), java.util.Map.of(), null,
                HttpApiOptions.defaults(), Map.of()))
                .hasMessageContaining("keyStore");
        assertThatThrownBy(() -> JettyTransportOptions.builder().allowedOrigins("https://ok.example", "example.com").build())
                .hasMessageContaining("scheme://host");
        assertThatThrownBy(() -> JettyTransportOptions.builder().allowedOrigins("https://example.com/path").build())
                .hasMessageContaining("example.com/path");
        assertThatThrownBy(() -> JettyTransportOptions.builder().acceptQueueSize(0).build())
                .hasMessageContaining("acceptQueueSize");
        HttpService any = request -> HttpResponse.empty(204);
        assertThatThrownBy(() -> JettyTransportOptions.builder().httpService("/health", any).build())
                .hasMessageContaining("/health");
        assertThatThrownBy(() -> JettyTransportOptions.builder().httpService("/metrics", any).build())
                .hasMessageContaining("/metrics");
        assertThatThrownBy(() -> JettyTransportOptions.builder().httpService("/events", any).build())
                .hasMessageContaining("HTTP API");
        assertThatThrownBy(() -> JettyTransportOptions.builder().httpService("api", any).build())
                .hasMessageContaining("httpServices");
        assertThat(JettyTransportOptions.builder().httpApi(HttpApiOptions.builder().cloudEvents(false).build())
                .httpService("/events", any).build().httpServices()).containsKey("/events");
    }

    @Test
    void theReservedThreadsSettingReachesJettysPool() throws Exception {
        for (int reserved : new int[] {-1, 0, 2}) {
            Server server = JettyServers.create(JettyTransportOptions.builder().port(0).reservedThreads(reserved).build(),
                    new EchoAcceptor(), List.of(), new OpenSessions<>());
            try {
                server.start();
                QueuedThreadPool pool = (QueuedThreadPool) server.getThreadPool();
                assertThat(pool.getReservedThreads()).isEqualTo(reserved);
                if (reserved >= 0) {
                    assertThat(pool.getMaxReservedThreads()).isEqualTo(reserved);
                } else {
                    assertThat(pool.getMaxReservedThreads()).as("Jetty's own choice").isPositive();
                }
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void theHttpApiIsOnForEventsAndOffForEmitsByDefault() {
        JettyTransportOptions o = JettyTransportOptions.defaults();
        assertThat(o.httpApi().cloudEvents()).isTrue();
        assertThat(o.httpApi().cloudEventsPath()).isEqualTo("/events");
        assertThat(o.httpApi().emitEnabled()).isFalse();
        assertThat(o.httpApi().emitPath()).isEqualTo("/api/emit");
        assertThat(o.toString()).contains("emitApi=off").contains("cloudEvents=/events");
        JettyTransportOptions copy = o.toBuilder().httpService("/x", request -> HttpResponse.empty(204)).build()
                .toBuilder().build();
        assertThat(copy.httpServices()).containsOnlyKeys("/x");
    }
}
