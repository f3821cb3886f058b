package dev.switchboard.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Audience;
import dev.switchboard.Connection;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real node on the in-memory transport, with every meter driven by what happens to it. */
class SwitchboardMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final SwitchboardMetrics metrics = SwitchboardMetrics.create(registry, Tags.of("app", "test"));
    private final BlockingQueue<Connection> connected = new LinkedBlockingQueue<>();
    private final Switchboard board = Switchboard.builder()
            .options(SwitchboardOptions.builder().maxFrameBytes(1024).maxQueuedBytes(4096).build())
            .eventListener(metrics)
            .build();
    private final InMemoryTransport transport = InMemoryTransport.attach(board);

    SwitchboardMetricsTest() {
        metrics.monitor(board);
        board.onConnect(connected::add);
    }

    @AfterEach
    void tearDown() {
        board.close();
    }

    private InMemoryClient client() {
        InMemoryClient c = transport.connect();
        c.nextFrame(WAIT);
        return c;
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags("app", "test").tags(tags).counter().count();
    }

    private double gauge(String name) {
        return registry.get(name).tags("app", "test").gauge().value();
    }

    @Test
    void countsConnectionsAndRoutedMessages() {
        InMemoryClient a = client();
        client();
        assertThat(count("switchboard.connections.opened")).isEqualTo(2);
        assertThat(gauge("switchboard.connections")).isEqualTo(2);

        board.to(Audience.everyone()).emit("news", "hi");
        assertThat(count("switchboard.messages.routed")).isEqualTo(1);
        assertThat(registry.get("switchboard.messages.recipients").summary().totalAmount()).isEqualTo(2);

        a.close();
        assertThat(count("switchboard.connections.closed", "code", "1000")).isEqualTo(1);
        assertThat(gauge("switchboard.connections")).isEqualTo(1);
        assertThat(gauge("switchboard.backplane.up")).isEqualTo(1);
        assertThat(gauge("switchboard.cluster.nodes")).isEqualTo(1);
        assertThat(registry.get("switchboard.backplane.dropped").functionCounter().count()).isZero();
        assertThat(registry.get("switchboard.cluster.rejected").functionCounter().count()).isZero();
        assertThat(registry.get("switchboard.cluster.untrusted").functionCounter().count()).isZero();
    }

    @Test
    void countsRefusedFramesWithoutTheClientsTextInTags() {
        InMemoryClient c = client();
        c.send("not json");
        c.send("{\"type\":\"" + "x".repeat(20) + "\"}");
        c.sendBinary(10);
        c.nextFrame(WAIT);
        c.nextFrame(WAIT);
        c.nextFrame(WAIT);
        assertThat(count("switchboard.frames.refused", "reason", "malformed")).isEqualTo(2);
        assertThat(count("switchboard.frames.refused", "reason", "binary")).isEqualTo(1);
        c.send("{\"type\":\"emit\",\"event\":\"e\",\"data\":\"" + "y".repeat(2000) + "\"}");
        assertThat(count("switchboard.frames.refused", "reason", "too_large")).isEqualTo(1);
        assertThat(count("switchboard.connections.closed", "code", "1009")).isEqualTo(1);
    }

    @Test
    void countsSlowConsumersAndRequestTimeouts() throws Exception {
        InMemoryClient slow = client();
        Connection conn = connected.poll(2, TimeUnit.SECONDS);
        assertThat(conn).isNotNull();
        assertThatThrownBy(() -> conn.request("confirm", "?", Duration.ofMillis(50)).get(2, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(count("switchboard.requests.timeouts")).isEqualTo(1);

        slow.pause();
        for (int i = 0; i < 10 && conn.state() == Connection.State.OPEN; i++) {
            conn.send("big", "z".repeat(1000));
        }
        assertThat(count("switchboard.slow.consumers")).isEqualTo(1);
    }
}
