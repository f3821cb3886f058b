package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {
    private static final URI URI_WS = URI.create("ws://localhost:8080/ws");

    @Test
    void defaultsAreTheDocumentedOnes() {
        ClientOptions o = ClientOptions.of(URI_WS);
        assertThat(o.uri()).isEqualTo(URI_WS);
        assertThat(o.token()).isNull();
        assertThat(o.headers()).isEmpty();
        assertThat(o.subProtocols()).containsExactly("switchboard.v1");
        assertThat(o.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.reconnect()).isTrue();
        assertThat(o.reconnectInitialDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(o.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.reconnectMultiplier()).isEqualTo(2.0);
        assertThat(o.maxReconnectAttempts()).isZero();
        assertThat(o.maxQueuedFrames()).isEqualTo(1000);
        assertThat(o.callbackExecutor()).isNull();
        assertThat(o.scheduler()).isNull();
        assertThat(o.mapper()).isNull();
        assertThat(o.httpClient()).isNull();
    }

    @Test
    void builderSetsEveryValueAndToBuilderRoundTrips() {
        ClientOptions o = ClientOptions.builder(URI.create("wss://example.org/ws"))
                .token("t0k3n").header("X-Tenant", "acme").subProtocols("switchboard.v1", "cloudevents.json")
                .requestTimeout(Duration.ofSeconds(3)).connectTimeout(Duration.ofSeconds(4))
                .closeTimeout(Duration.ofSeconds(1)).reconnect(false)
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 3.0)
                .maxReconnectAttempts(5).maxQueuedFrames(10).build();

        assertThat(o.headers()).containsEntry("X-Tenant", "acme");
        assertThat(o.subProtocols()).containsExactly("switchboard.v1", "cloudevents.json");
        assertThat(o.reconnectMultiplier()).isEqualTo(3.0);
        assertThat(o.toBuilder().build()).isEqualTo(o);
    }

    @Test
    void toStringNeverShowsTheToken() {
        ClientOptions o = ClientOptions.builder(URI_WS).token("super-secret").build();
        assertThat(o.toString()).doesNotContain("super-secret").contains("token=***");
    }

    @Test
    void collectionsAreImmutableCopies() {
        ClientOptions o = ClientOptions.of(URI_WS);
        assertThatThrownBy(() -> o.headers().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> o.subProtocols().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsInvalidValues() {
        assertThatThrownBy(() -> ClientOptions.of(URI.create("http://localhost/ws")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws://");
        assertThatThrownBy(() -> ClientOptions.builder(URI_WS).token(" ").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientOptions.builder(URI_WS).token("t").header("authorization", "Basic x").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientOptions.builder(URI_WS).requestTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> ClientOptions.builder(URI_WS).connectTimeout(null).build())
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ClientOptions.builder(URI_WS)
                .backoff(Duration.ofSeconds(5), Duration.ofSeconds(1), 2).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientOptions.builder(URI_WS)
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), 0.9).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientOptions.builder(URI_WS).maxReconnectAttempts(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientOptions.builder(URI_WS).maxQueuedFrames(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ClientOptions.builder(URI_WS).subProtocols().build().subProtocols()).isEqualTo(List.of());
    }
}
