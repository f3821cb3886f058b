package dev.switchboard.transport.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The portable path, used when the container is not Jetty: a stand-in Jakarta session (a dynamic proxy,
 * since only three of its methods matter) checks that frames go through {@code getAsyncRemote()}.
 */
class JakartaTransportSessionTest {
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private Throwable sendFailure;

    private Session foreignSession() {
        Session[] self = new Session[1];
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                        sent.add((String) args[0]);
                        ((SendHandler) args[1]).onResult(sendFailure == null
                                ? new SendResult(self[0]) : new SendResult(self[0], sendFailure));
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        self[0] = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAsyncRemote" -> remote;
                    case "getNegotiatedSubprotocol" -> "";
                    case "getId" -> "s-1";
                    case "close" -> {
                        closed.complete((CloseReason) args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return self[0];
    }

    @Test
    void foreignContainerSendsThroughAsyncRemote() throws Exception {
        JakartaTransportSession session = new JakartaTransportSession(foreignSession(), Handshake.of("/ws"));
        CompletableFuture<Throwable> done = new CompletableFuture<>();

        session.send(EncodedFrame.ofBytes("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8)), done::complete);

        assertThat(done.get(1, TimeUnit.SECONDS)).isNull();
        assertThat(sent).containsExactly("{\"type\":\"ping\"}");
        assertThat(session.subProtocol()).isNull();
    }

    @Test
    void foreignSendFailureReachesCallbackOnce() throws Exception {
        sendFailure = new IOException("broken pipe");
        JakartaTransportSession session = new JakartaTransportSession(foreignSession(), Handshake.of("/ws"));
        List<Throwable> results = new CopyOnWriteArrayList<>();

        session.send(EncodedFrame.ofText("{}"), results::add);

        assertThat(results).singleElement().isSameAs(sendFailure);
    }

    @Test
    void foreignCloseIsAsyncAndIdempotent() throws Exception {
        JakartaTransportSession session = new JakartaTransportSession(foreignSession(), Handshake.of("/ws"));

        session.close(1013, "slow consumer");
        session.close(1000, "second close is ignored");

        CloseReason reason = closed.get(5, TimeUnit.SECONDS);
        assertThat(reason.getCloseCode().getCode()).isEqualTo(1013);
        assertThat(reason.getReasonPhrase()).isEqualTo("slow consumer");
    }

    @Test
    void shortReasonsAreKept() {
        assertThat(JakartaTransportSession.truncate("slow consumer")).isEqualTo("slow consumer");
        assertThat(JakartaTransportSession.truncate("x".repeat(123))).hasSize(123);
    }

    @Test
    void longReasonsAreCutOnCharacterBoundaries() {
        assertThat(JakartaTransportSession.truncate("x".repeat(200))).hasSize(123);
        String cut = JakartaTransportSession.truncate("€".repeat(100)); // 3 bytes each
        assertThat(cut).isEqualTo("€".repeat(41));
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
    }
}
