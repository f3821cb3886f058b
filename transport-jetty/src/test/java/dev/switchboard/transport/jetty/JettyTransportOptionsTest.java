package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
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
        assertThat(o.stopTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.compression()).isFalse();
    }

    @Test
    void toBuilderRoundTrips() {
        JettyTransportOptions o = JettyTransportOptions.builder().host("127.0.0.1").port(0).path("/chat/{room}")
                .staticFiles(Path.of("web")).staticClasspath("static").tls(Path.of("k.p12"), "pw")
                .idleTimeout(Duration.ofSeconds(5)).maxThreads(16).stopTimeout(Duration.ofMillis(100))
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
        assertThatThrownBy(() -> JettyTransportOptions.builder().idleTimeout(Duration.ZERO).build())
                .hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> JettyTransportOptions.builder().stopTimeout(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("stopTimeout");
        assertThatThrownBy(() -> new JettyTransportOptions("0.0.0.0", 80, "/ws", null, null, Path.of("k"), null,
                Duration.ofSeconds(1), 8, Duration.ofSeconds(1), false, 1024, java.util.List.of(), java.util.Map.of(), null))
                .hasMessageContaining("keyStore");
        assertThatThrownBy(() -> JettyTransportOptions.builder().allowedOrigins("https://ok.example", "example.com").build())
                .hasMessageContaining("scheme://host");
        assertThatThrownBy(() -> JettyTransportOptions.builder().allowedOrigins("https://example.com/path").build())
                .hasMessageContaining("example.com/path");
        assertThatThrownBy(() -> JettyTransportOptions.builder().acceptQueueSize(0).build())
                .hasMessageContaining("acceptQueueSize");
    }
}
