package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.SendResult;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.TransportSession;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The outbound queue: one write in flight, batches of what queued meanwhile, the byte bound. */
class OutboundQueueTest {

    /** The parts of a session these tests do not look at. */
    private abstract static class StubSession implements TransportSession {
        @Override
        public Handshake handshake() {
            return Handshake.of("/ws");
        }

        @Override
        public String subProtocol() {
            return null;
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public void abort() {
        }
    }

    /** A session that holds every write until the test completes it, and records how it was written. */
    private static final class HeldSession extends StubSession {
        final List<List<String>> writes = new ArrayList<>();
        final List<Consumer<Throwable>> pending = new ArrayList<>();

        @Override
        public void send(EncodedFrame frame, Consumer<Throwable> done) {
            writes.add(List.of(frame.text()));
            pending.add(done);
        }

        @Override
        public void sendBatch(List<EncodedFrame> frames, Consumer<Throwable> done) {
            writes.add(frames.stream().map(EncodedFrame::text).toList());
            pending.add(done);
        }

        void completeNext(Throwable failure) {
            pending.remove(0).accept(failure);
        }
    }

    private static final class Events implements OutboundQueue.Listener {
        int overflows;
        int failures;
        int drained;

        @Override
        public void overflow() {
            overflows++;
        }

        @Override
        public void writeFailed(Throwable cause) {
            failures++;
        }

        @Override
        public void drainedForClose() {
            drained++;
        }
    }

    private static EncodedFrame frame(String s) {
        return EncodedFrame.ofText(s);
    }

    @Test
    void framesQueuedDuringAWriteGoOutTogetherInOrder() {
        HeldSession session = new HeldSession();
        OutboundQueue q = new OutboundQueue(session, 1_000, new Events());
        assertThat(q.offer(frame("a"))).isEqualTo(SendResult.QUEUED);
        q.offer(frame("b"));
        q.offer(frame("c"));
        q.offer(frame("d"));
        assertThat(session.writes).containsExactly(List.of("a"));
        assertThat(q.queuedBytes()).isEqualTo(4);

        session.completeNext(null);
        assertThat(session.writes).containsExactly(List.of("a"), List.of("b", "c", "d"));
        assertThat(q.queuedBytes()).isEqualTo(3);
        session.completeNext(null);
        assertThat(q.queuedBytes()).isZero();
        q.offer(frame("e"));
        assertThat(session.writes).last().isEqualTo(List.of("e"));
    }

    @Test
    void aBatchIsBoundedInFrames() {
        HeldSession session = new HeldSession();
        OutboundQueue q = new OutboundQueue(session, 1_000_000, new Events());
        q.offer(frame("first"));
        for (int i = 0; i < OutboundQueue.MAX_BATCH_FRAMES + 5; i++) {
            q.offer(frame("f" + i));
        }
        session.completeNext(null);
        assertThat(session.writes.get(1)).hasSize(OutboundQueue.MAX_BATCH_FRAMES);
        session.completeNext(null);
        assertThat(session.writes.get(2)).hasSize(5).first().isEqualTo("f" + OutboundQueue.MAX_BATCH_FRAMES);
    }

    @Test
    void theByteBoundCountsTheWriteInFlightAndOverflowsOnce() {
        HeldSession session = new HeldSession();
        Events events = new Events();
        OutboundQueue q = new OutboundQueue(session, 10, events);
        q.offer(frame("123456"));
        assertThat(q.offer(frame("1234"))).isEqualTo(SendResult.QUEUED);
        assertThat(q.offer(frame("x"))).isEqualTo(SendResult.DROPPED);
        assertThat(q.offer(frame("y"))).isEqualTo(SendResult.DROPPED);
        assertThat(events.overflows).isEqualTo(1);
    }

    @Test
    void aLargeFrameIsJudgedByTheBacklogAheadOfItNotByItsOwnSize() {
        HeldSession session = new HeldSession();
        Events events = new Events();
        OutboundQueue q = new OutboundQueue(session, 10, events);
        q.offer(frame("123"));
        // A client that keeps up (3 bytes unwritten) is not a slow consumer because a 9-byte frame comes.
        assertThat(q.offer(frame("123456789"))).isEqualTo(SendResult.QUEUED);
        assertThat(events.overflows).isZero();
        // Now 12 bytes wait: that backlog is over the bound, so the next frame finds a slow consumer.
        assertThat(q.offer(frame("x"))).isEqualTo(SendResult.DROPPED);
        assertThat(events.overflows).isEqualTo(1);
    }

    @Test
    void aFrameLargerThanTheWholeBoundIsRefusedAndTheConnectionKept() {
        HeldSession session = new HeldSession();
        Events events = new Events();
        OutboundQueue q = new OutboundQueue(session, 10, events);
        assertThat(q.offer(frame("12345678901"))).isEqualTo(SendResult.TOO_LARGE);
        assertThat(q.queuedBytes()).isZero();
        assertThat(events.overflows).isZero();
        assertThat(q.offer(frame("ok"))).isEqualTo(SendResult.QUEUED);
        assertThat(session.writes).containsExactly(List.of("ok"));
    }

    @Test
    void aFailedWriteClosesTheQueue() {
        HeldSession session = new HeldSession();
        Events events = new Events();
        OutboundQueue q = new OutboundQueue(session, 100, events);
        q.offer(frame("a"));
        q.offer(frame("b"));
        session.completeNext(new java.io.IOException("reset"));
        assertThat(events.failures).isEqualTo(1);
        assertThat(q.offer(frame("c"))).isEqualTo(SendResult.CLOSED);
        assertThat(session.writes).hasSize(1);
    }

    @Test
    void closeWhenDrainedWaitsForTheWritesInFlight() {
        HeldSession session = new HeldSession();
        Events events = new Events();
        OutboundQueue q = new OutboundQueue(session, 100, events);
        q.offer(frame("a"));
        q.offer(frame("b"));
        q.closeWhenDrained();
        assertThat(events.drained).isZero();
        session.completeNext(null);
        assertThat(events.drained).isZero();
        session.completeNext(null);
        assertThat(events.drained).isEqualTo(1);
    }

    @Test
    void theDefaultBatchWritesOneFrameAfterAnother() {
        List<String> written = new ArrayList<>();
        TransportSession plain = new StubSession() {
            @Override
            public void send(EncodedFrame frame, Consumer<Throwable> done) {
                written.add(frame.text());
                done.accept(null);
            }
        };
        List<Throwable> results = new ArrayList<>();
        plain.sendBatch(List.of(frame("1"), frame("2"), frame("3")), results::add);
        assertThat(written).containsExactly("1", "2", "3");
        assertThat(results).containsExactly((Throwable) null);
    }
}
