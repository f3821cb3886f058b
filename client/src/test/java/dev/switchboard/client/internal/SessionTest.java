package dev.switchboard.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SessionTest {
    private final List<String> messages = new ArrayList<>();
    private final List<String> ends = new ArrayList<>();
    private final Session session = new Session(new Session.Handler() {
        @Override
        public void onMessage(Session s, String text) {
            messages.add(text);
        }

        @Override
        public void onEnded(Session s, int code, String reason, Throwable cause) {
            ends.add(code + " " + reason);
        }
    });
    private final FakeWebSocket socket = new FakeWebSocket();

    @Test
    void partsOfATextMessageAreJoinedAndDemandIsRenewedAfterEachPart() {
        session.onOpen(socket);
        assertThat(socket.requested).isEqualTo(1);

        StringBuilder reused = new StringBuilder("{\"type\":");
        session.onText(socket, reused, false);
        reused.setLength(0); // the JDK may reuse the buffer once onText returned
        reused.append("\"ping\"}");
        session.onText(socket, reused, true);
        session.onText(socket, "{\"type\":\"pong\"}", true);

        assertThat(messages).containsExactly("{\"type\":\"ping\"}", "{\"type\":\"pong\"}");
        assertThat(socket.requested).isEqualTo(4);
    }

    @Test
    void sendsAreChainedSoTheyNeverOverlapAndKeepTheirOrder() {
        session.onOpen(socket);
        socket.holdSends(true);

        CompletableFuture<Void> a = session.send("a");
        CompletableFuture<Void> b = session.send("b");
        CompletableFuture<Void> c = session.send("c");

        assertThat(socket.sent()).containsExactly("a");
        assertThat(b).isNotDone();
        socket.completeSends();

        assertThat(socket.sent()).containsExactly("a", "b", "c");
        assertThat(socket.overlapped).isFalse();
        assertThat(a).isCompleted();
        assertThat(b).isCompleted();
        assertThat(c).isCompleted();
    }

    @Test
    void aFailedSendFailsOnlyItsOwnFutureAndLaterSendsStillRun() {
        session.onOpen(socket);
        socket.abort();
        CompletableFuture<Void> failed = session.send("x");
        assertThat(failed).isCompletedExceptionally();
        socket.aborted = false;
        assertThat(session.send("y")).isCompleted();
        assertThat(socket.sent()).containsExactly("y");
    }

    @Test
    void theEndIsReportedOnceWhateverHappensFirst() {
        session.onOpen(socket);
        session.onClose(socket, 1001, "going away");
        session.onError(socket, new java.io.IOException("reset"));
        session.abort(1006, "aborted");
        assertThat(ends).containsExactly("1001 going away");
    }

    @Test
    void aSocketThatOpensAfterTheSessionWasAbortedIsDropped() {
        session.abort(1006, "client closed while connecting");
        session.attach(socket);
        assertThat(socket.aborted).isTrue();
        assertThat(ends).containsExactly("1006 client closed while connecting");
    }
}
