package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Switchboard;
import dev.switchboard.spi.MetricsScraper;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} on a real Jetty: off unless configured, then the scraper's body in the format the
 * {@code Accept} header chose. (The Prometheus scraper itself is tested in metrics-micrometer and, end to
 * end, in the examples.)
 */
class MetricsEndpointIntegrationTest {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    /** Answers with the connection count in a format named after the Accept header. */
    private static MetricsScraper scraper(Switchboard board) {
        return new MetricsScraper() {
            @Override
            public String contentType(String accept) {
                return accept != null && accept.contains("openmetrics") ? "application/openmetrics-text; version=1.0.0"
                        : "text/plain; version=0.0.4; charset=utf-8";
            }

            @Override
            public void scrape(String contentType, OutputStream out) throws java.io.IOException {
                String body = "connections " + board.connectionCount() + "\n"
                        + (contentType.startsWith("application/openmetrics") ? "# EOF\n" : "");
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private JettyTransport serve(JettyTransportOptions.Builder options) {
        Switchboard board = Switchboard.builder().build();
        resources.add(board);
        JettyTransport t = JettyTransport.start(board, options.host("127.0.0.1").port(0).build());
        resources.add(t);
        return t;
    }

    private HttpResponse<String> get(JettyTransport t, String accept) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(t.httpUri().resolve("/metrics"));
        if (accept != null) {
            req.header("Accept", accept);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAreOffUnlessConfigured() throws Exception {
        assertThat(get(serve(JettyTransportOptions.builder()), null).statusCode()).isEqualTo(404);
    }

    @Test
    void theScraperAnswersInTheNegotiatedFormat() throws Exception {
        Switchboard board = Switchboard.builder().build();
        resources.add(board);
        JettyTransport t = JettyTransport.start(board, JettyTransportOptions.builder().host("127.0.0.1").port(0)
                .metrics(scraper(board)).build());
        resources.add(t);
        RecordingClient client = RecordingClient.connect(t.uri());
        resources.add(client);
        client.assertFrame("welcome");

        HttpResponse<String> text = get(t, null);
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("text/plain").contains("version=0.0.4"));
        assertThat(text.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(text.body()).isEqualTo("connections 1\n");

        HttpResponse<String> open = get(t, "application/openmetrics-text;version=1.0.0,text/plain;q=0.5");
        assertThat(open.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("application/openmetrics-text"));
        assertThat(open.body()).endsWith("# EOF\n");
    }
}
