package dev.switchboard.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Audience;
import dev.switchboard.Switchboard;
import dev.switchboard.transport.InMemoryClient;
import dev.switchboard.transport.InMemoryTransport;
import io.micrometer.core.instrument.Tags;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sample Grafana dashboard ({@code deploy/grafana/switchboard-dashboard.json}) is valid JSON in Grafana's
 * dashboard model, and every metric its queries name is one a real node's {@code /metrics} scrape has, so a
 * renamed meter cannot leave an empty panel behind.
 */
class DashboardTest {
    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "switchboard-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:switchboard|jvm|process|system)_[a-z_]+)\\b");

    @Test
    void everyPanelQueriesMetricsThatANodeExposes() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        assertThat(dashboard.path("title").asText()).isEqualTo("Switchboard");
        assertThat(dashboard.path("schemaVersion").isInt()).isTrue();
        JsonNode panels = dashboard.path("panels");
        assertThat(panels.size()).isGreaterThanOrEqualTo(10);

        Set<Integer> ids = new HashSet<>();
        Set<String> named = new LinkedHashSet<>();
        for (JsonNode panel : panels) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique panel id %s", panel.path("id")).isTrue();
            assertThat(panel.path("title").asText()).isNotBlank();
            assertThat(panel.path("type").asText()).isIn("timeseries", "stat");
            assertThat(panel.path("gridPos").path("w").asInt()).isPositive();
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertThat(expr).isNotBlank();
                Matcher m = METRIC.matcher(expr);
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        assertThat(named).contains("switchboard_connections", "switchboard_backplane_up");

        Set<String> scraped = scrapeOfABusyNode();
        assertThat(named).allSatisfy(name -> assertThat(scraped).as("a node exposes %s", name).contains(name));
    }

    /** @return the metric names a node with some traffic exposes */
    private static Set<String> scrapeOfABusyNode() throws Exception {
        PrometheusMetrics metrics = PrometheusMetrics.create(Tags.of("app", "dashboard"));
        Switchboard board = Switchboard.builder().eventListener(metrics.listener()).build();
        try {
            metrics.monitor(board);
            InMemoryClient client = InMemoryTransport.attach(board).connect();
            client.nextFrame(Duration.ofSeconds(2));
            board.to(Audience.everyone()).emit("hello", 1);
            client.send("not json");   // a refused frame
            client.close();
            // GC pauses are timed from the first collection's notification on.
            System.gc();
            Set<String> names = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!names.contains("jvm_gc_pause_seconds_sum") && System.nanoTime() < deadline) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                metrics.scrape(metrics.contentType(null), out);
                for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        names.add(line.split("[{ ]", 2)[0]);
                    }
                }
                Thread.sleep(20);
            }
            return names;
        } finally {
            board.close();
            metrics.close();
        }
    }
}
