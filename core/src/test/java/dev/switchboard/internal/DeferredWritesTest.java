package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.Execution;
import dev.switchboard.Identity;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.SessionHandler;
import dev.switchboard.spi.TransportSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While a connection's frame is handled, the writes it starts wait for the end of the frame and the
 * sender's own connection goes first: a publisher's reply is written before the fan-out's writes.
 */
class DeferredWritesTest {
    /** Every write of every session, in the order the transport was asked for them. */
    private final List<String> writes = Collections.synchronizedList(new ArrayList<>());
    /** The thread of each session's first write. */
    private final Map<String, Thread> threads = new ConcurrentHashMap<>();
    /** The {@code x} of every event each session was sent, in order. */
    private final Map<String, List<Integer>> payloads = new ConcurrentHashMap<>();
    private final Switchboard board = Switchboard.builder()
            .options(SwitchboardOptions.builder().heartbeat(Duration.ofHours(1)).rateLimit(0).build())
            .build();

    @AfterEach
    void close() {
        board.close();
    }

    /** A session that completes each write at once and records it under its name. */
    private final class Recorded implements TransportSession {
        private final String name;

        Recorded(String name) {
            this.name = name;
        }

        @Override
        public Handshake handshake() {
            return Handshake.of("/ws");
        }

        @Override
        public String subProtocol() {
            return null;
        }

        @Override
        public void send(EncodedFrame frame, Consumer<Throwable> done) {
            String text = frame.text();
            writes.add(name + ":" + text.substring(text.indexOf("\"type\":\"") + 8, text.indexOf('"', text.indexOf("\"type\":\"") + 8)));
            threads.putIfAbsent(name, Thread.currentThread());
            int x = text.indexOf("\"x\":");
            if (x >= 0) {
                payloads.computeIfAbsent(name, k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(Character.getNumericValue(text.charAt(x + 4)));
            }
            done.accept(null);
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public void abort() {
        }
    }

    private SessionHandler open(String name) {
        return board.open(new Recorded(name), Identity.user(name));
    }

    @Test
    void aPublishersReplyIsWrittenBeforeTheFanOut() {
        board.onRequest("publish", JsonNode.class, (conn, data) -> {
            board.to(Audience.topic("room")).emit("msg", data);
            return true;
        }, Execution.INLINE);
        SessionHandler publisher = open("pub");
        for (int i = 0; i < 3; i++) {
            open("r" + i);
        }
        board.connections().stream().filter(c -> !c.identity().userId().equals("pub")).forEach(c -> c.join("room"));
        writes.clear();

        publisher.onText("{\"type\":\"request\",\"id\":1,\"event\":\"publish\",\"data\":{\"x\":1}}");

        assertThat(writes).hasSize(4).first().isEqualTo("pub:reply");
        assertThat(writes.subList(1, 4)).containsExactlyInAnyOrder("r0:event", "r1:event", "r2:event");
    }

    @Test
    void aLargeFanOutIsWrittenByThePoolInOrderAfterTheReply() throws InterruptedException {
        int recipients = DeferredWrites.OFFLOAD_AT + 8;
        board.onRequest("publish", JsonNode.class, (conn, data) -> {
            board.to(Audience.topic("room")).emit("msg", data);
            return true;
        }, Execution.INLINE);
        SessionHandler publisher = open("pub");
        for (int i = 0; i < recipients; i++) {
            open("r" + i);
        }
        board.connections().stream().filter(c -> !c.identity().userId().equals("pub")).forEach(c -> c.join("room"));
        writes.clear();
        threads.clear(); // the welcomes were written here

        for (int n = 1; n <= 3; n++) {
            publisher.onText("{\"type\":\"request\",\"id\":" + n + ",\"event\":\"publish\",\"data\":{\"x\":" + n + "}}");
            assertThat(threads.get("pub")).isSameAs(Thread.currentThread()); // the reply: on the reading thread
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writes.size() < 3 + 3 * recipients && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(writes).hasSize(3 + 3 * recipients).first().isEqualTo("pub:reply");
        for (int i = 0; i < recipients; i++) {
            assertThat(payloads.get("r" + i)).as("r" + i).containsExactly(1, 2, 3);
            // The first publish reached 40 idle connections: all their writes went to the pool. (Later ones may
            // start some writes here: those of connections the pool had already written to.)
            assertThat(threads.get("r" + i)).as("r" + i + "'s first writer").isNotSameAs(Thread.currentThread());
        }
    }

    /** Queues whose writes {@link Recorded} records, outside any node: what a backplane message fans out to. */
    private List<OutboundQueue> queues(int n) {
        OutboundQueue.Listener none = new OutboundQueue.Listener() {
            @Override
            public void overflow() {
            }

            @Override
            public void writeFailed(Throwable cause) {
            }

            @Override
            public void drainedForClose() {
            }
        };
        List<OutboundQueue> queues = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            queues.add(new OutboundQueue(new Recorded("q" + i), 1 << 20, none));
        }
        return queues;
    }

    private static final EncodedFrame EVENT = EncodedFrame.ofText("{\"type\":\"event\",\"event\":\"e\",\"data\":1}");

    @Test
    void aScopeWithoutASenderStartsTheWritesInTheOrderTheyWereQueued() {
        List<OutboundQueue> queues = queues(3);
        DeferredWrites scope = DeferredWrites.begin();
        DeferredWrites nested = DeferredWrites.begin();
        queues.forEach(q -> q.offer(EVENT));
        List<String> beforeTheEnd = new ArrayList<>(writes);

        scope.end(null, Runnable::run);

        assertThat(nested).as("a nested scope collects into the open one").isNull();
        assertThat(beforeTheEnd).as("held back until the scope ends").isEmpty();
        assertThat(writes).containsExactly("q0:event", "q1:event", "q2:event");
        assertThat(threads.values()).containsOnly(Thread.currentThread());
        assertThat(DeferredWrites.defer(queues.get(0))).as("the scope is closed").isFalse();
    }

    @Test
    void aLargeFanOutWithoutASenderIsStartedByThePoolInOrder() {
        int n = DeferredWrites.OFFLOAD_AT + 3;
        List<OutboundQueue> queues = queues(n);
        List<Runnable> pool = new ArrayList<>();
        DeferredWrites scope = DeferredWrites.begin();
        queues.forEach(q -> q.offer(EVENT));

        scope.end(null, pool::add);

        assertThat(writes).as("nothing written on this thread").isEmpty();
        assertThat(pool).hasSize(1);
        pool.get(0).run();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add("q" + i + ":event");
        }
        assertThat(writes).containsExactlyElementsOf(expected);
    }

    @Test
    void aLargeFanOutThePoolRefusesIsStartedHere() {
        int n = DeferredWrites.OFFLOAD_AT + 1;
        List<OutboundQueue> queues = queues(n);
        DeferredWrites scope = DeferredWrites.begin();
        queues.forEach(q -> q.offer(EVENT));

        scope.end(null, task -> {
            throw new java.util.concurrent.RejectedExecutionException("full");
        });

        assertThat(writes).hasSize(n).first().isEqualTo("q0:event");
        assertThat(writes).last().isEqualTo("q" + (n - 1) + ":event");
        assertThat(threads.values()).containsOnly(Thread.currentThread());
    }

    @Test
    void withoutAnInboundFrameWritesStartAtOnce() {
        open("a");
        board.connections().forEach(c -> c.join("room"));
        writes.clear();

        board.to(Audience.topic("room")).emit("msg", 1);

        assertThat(writes).containsExactly("a:event"); // already written when emit returned
    }
}
