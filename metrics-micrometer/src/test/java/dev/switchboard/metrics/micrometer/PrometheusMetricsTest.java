package dev.switchboard.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Audience;
import dev.switchboard.Switchboard;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import io.micrometer.core.instrument.Tags;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A Prometheus scrape of a real node: JVM meters, Switchboard meters, common tags, both text formats. */
class PrometheusMetricsTest {
    private final PrometheusMetrics metrics = PrometheusMetrics.create(Tags.of("app", "chat"));
    private final Switchboard board = Switchboard.builder().eventListener(metrics.listener()).build();

    PrometheusMetricsTest() {
        metrics.monitor(board);
    }

    @AfterEach
    void tearDown() {
        board.close();
        metrics.close();
    }

    private String scrape(String accept) throws Exception {
        String type = metrics.contentType(accept);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.scrape(type, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aScrapeHasTheJvmAndTheNodeInPrometheusText() throws Exception {
        InMemoryClient client = InMemoryTransport.attach(board).connect();
        client.nextFrame(Duration.ofSeconds(2));
        board.to(Audience.everyone()).emit("hello", 1);

        assertThat(metrics.contentType(null)).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        String text = scrape(null);
        assertThat(text)
                .contains("switchboard_connections{app=\"chat\"} 1")
                .contains("switchboard_connections_opened_total{app=\"chat\"} 1")
                .contains("switchboard_messages_routed_total{app=\"chat\"} 1")
                .contains("switchboard_backplane_up{app=\"chat\"} 1")
                .contains("jvm_memory_used_bytes{")
                .contains("jvm_threads_live_threads{")
                .contains("process_uptime_seconds{")
                .contains("jvm_gc_")
                .doesNotContain("# EOF");
    }

    @Test
    void scrapersThatAskForOpenMetricsGetIt() throws Exception {
        String accept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";
        assertThat(metrics.contentType(accept)).startsWith("application/openmetrics-text");
        String text = scrape(accept);
        assertThat(text).contains("switchboard_connections{app=\"chat\"} 0").endsWith("# EOF\n");
    }
}
