package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.SwitchboardOptions;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An idle client must answer every ping (or the server closes it with 4000 after two heartbeat periods) and
 * must accept the pings as signs of life (or it drops the connection after two and a half periods of silence).
 * The period is 500 ms, not shorter: a loaded machine can stall a thread for a few hundred milliseconds, which
 * a 100 ms period (250 ms of silence) took for a dead server.
 */
class HeartbeatIntegrationTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(500);

    @Test
    void anIdleClientStaysConnectedAcrossManyHeartbeats() throws Exception {
        BlockingQueue<Integer> closes = new LinkedBlockingQueue<>();
        try (TestServer server = TestServer.start(b -> b.options(
                SwitchboardOptions.builder().heartbeat(HEARTBEAT).build()))) {
            server.board().onDisconnect((conn, code, reason) -> closes.add(code));
            try (RecordingClient c = RecordingClient.connect(server.clientOptions("ivy").build())) {
                String id = c.client.connectionId();

                // six heartbeat periods in which neither side may give up on the other: each side's limit passes twice
                assertThat(closes.poll(HEARTBEAT.toMillis() * 6, TimeUnit.MILLISECONDS)).isNull();

                assertThat(c.client.state()).isEqualTo(ClientState.OPEN);
                assertThat(c.client.connectionId()).isEqualTo(id);
            }
        }
    }
}
