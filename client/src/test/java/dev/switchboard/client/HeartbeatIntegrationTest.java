package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.SwitchboardOptions;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With a 100 ms server heartbeat, an idle client must answer every ping (or the server closes it with
 * 4000 after two periods) and must accept the pings as signs of life (or it drops the connection after
 * two and a half periods of silence).
 */
class HeartbeatIntegrationTest {

    @Test
    void anIdleClientStaysConnectedAcrossManyHeartbeats() throws Exception {
        BlockingQueue<Integer> closes = new LinkedBlockingQueue<>();
        try (TestServer server = TestServer.start(b -> b.options(
                SwitchboardOptions.builder().heartbeat(Duration.ofMillis(100)).build()))) {
            server.board().onDisconnect((conn, code, reason) -> closes.add(code));
            try (RecordingClient c = RecordingClient.connect(server.clientOptions("ivy").build())) {
                String id = c.client.connectionId();

                // ten heartbeat periods in which neither side may give up on the other
                assertThat(closes.poll(1, TimeUnit.SECONDS)).isNull();

                assertThat(c.client.state()).isEqualTo(ClientState.OPEN);
                assertThat(c.client.connectionId()).isEqualTo(id);
            }
        }
    }
}
