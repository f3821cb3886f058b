package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.CloseCodes;
import dev.switchboard.Connection;
import dev.switchboard.EventListener;
import dev.switchboard.MutableClock;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.TransportSession;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeartbeatAndBackpressureTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private final MutableClock clock = new MutableClock();
    private Switchboard board;

    @AfterEach
    void tearDown() {
        board.close();
    }

    private DefaultSwitchboard node(SwitchboardOptions.Builder options, EventListener listener) {
        // A heartbeat of an hour keeps the real timer out of the way; the test drives ticks itself.
        board = Switchboard.builder().clock(clock).eventListener(listener)
                .options(options.heartbeat(Duration.ofHours(1)).build()).build();
        return (DefaultSwitchboard) board;
    }

    @Test
    void silentClientsArePingedThenClosedAfterTwoPeriods() throws Exception {
        DefaultSwitchboard node = node(SwitchboardOptions.builder(), EventListener.NONE);
        InMemoryTransport transport = InMemoryTransport.attach(node);
        InMemoryClient silent = transport.connect();
        InMemoryClient chatty = transport.connect();
        silent.nextFrame(WAIT);
        chatty.nextFrame(WAIT);

        clock.advance(Duration.ofHours(1));
        node.heartbeatTick();
        assertThat(silent.nextFrame(WAIT).get("type").asText()).isEqualTo("ping");
        assertThat(chatty.nextFrame(WAIT).get("type").asText()).isEqualTo("ping");
        chatty.send("{\"type\":\"pong\"}");

        clock.advance(Duration.ofHours(1));
        node.heartbeatTick();
        assertThat(silent.closeCode().get(2, TimeUnit.SECONDS)).isEqualTo(CloseCodes.HEARTBEAT_TIMEOUT);
        assertThat(silent.closeReason()).isEqualTo("heartbeat timeout");
        assertThat(chatty.closeCode()).isNotDone();
        assertThat(node.connectionCount()).isEqualTo(1);
    }

    @Test
    void aSlowConsumerIsClosedWith1013AtItsQueueBoundAndOthersAreUnaffected() throws Exception {
        AtomicInteger slow = new AtomicInteger();
        DefaultSwitchboard node = node(SwitchboardOptions.builder().maxFrameBytes(1024).maxQueuedBytes(16 * 1024),
                new EventListener() {
                    @Override
                    public void slowConsumer(Connection connection) {
                        slow.incrementAndGet();
                    }
                });
        InMemoryTransport transport = InMemoryTransport.attach(node);
        InMemoryClient stuck = transport.connect();
        InMemoryClient healthy = transport.connect();
        stuck.nextFrame(WAIT);
        healthy.nextFrame(WAIT);
        stuck.pause();
        String payload = "x".repeat(500);
        for (int i = 0; i < 100; i++) {
            node.to(Audience.everyone()).emit("flood", payload);
        }
        assertThat(stuck.closeCode().get(2, TimeUnit.SECONDS)).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
        assertThat(slow.get()).isEqualTo(1);
        assertThat(node.connectionCount()).isEqualTo(1); // the slow one left the registry
        int received = 0;
        while (healthy.pollFrame() != null) {
            received++;
        }
        assertThat(received).isEqualTo(100);
        assertThat(healthy.closeCode()).isNotDone();
    }

    @Test
    void aRoutedMessageIsEncodedOnceAndTheSameBytesGoToEveryRecipient() {
        DefaultSwitchboard node = node(SwitchboardOptions.builder(), EventListener.NONE);
        List<EncodedFrame> written = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            node.open(new RecordingSession(written), dev.switchboard.Identity.anonymous()).hashCode();
        }
        written.clear();
        assertThat(node.to(Audience.everyone()).emit("news", "same bytes")).isEqualTo(3);
        assertThat(written).hasSize(3);
        assertThat(written.get(1).bytes()).isSameAs(written.get(0).bytes());
        assertThat(written.get(2).bytes()).isSameAs(written.get(0).bytes());
    }

    @Test
    void gracefulCloseWritesQueuedFramesFirst() throws Exception {
        DefaultSwitchboard node = node(SwitchboardOptions.builder(), EventListener.NONE);
        InMemoryClient c = InMemoryTransport.attach(node).connect();
        c.nextFrame(WAIT);
        c.pause();
        Connection conn = node.connections().iterator().next();
        assertThat(conn.send("last", 1)).isEqualTo(SendResult.QUEUED);
        conn.close(CloseCodes.NORMAL, "bye");
        assertThat(conn.send("too late", 1)).isEqualTo(SendResult.CLOSED);
        assertThat(c.closeCode()).isNotDone();
        c.resume();
        JsonNode last = c.nextFrame(WAIT);
        assertThat(last.get("event").asText()).isEqualTo("last");
        assertThat(c.closeCode().get(2, TimeUnit.SECONDS)).isEqualTo(CloseCodes.NORMAL);
    }

    /** A transport session that records the frame objects it is handed and completes at once. */
    private record RecordingSession(List<EncodedFrame> written) implements TransportSession {
        @Override
        public Handshake handshake() {
            return Handshake.of("/ws");
        }

        @Override
        public String subProtocol() {
            return "switchboard.v1";
        }

        @Override
        public void send(EncodedFrame frame, Consumer<Throwable> done) {
            written.add(frame);
            done.accept(null);
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public void abort() {
        }
    }
}
