package dev.switchboard.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ReconnectRulesTest {

    @Test
    void normalAndPolicyClosesAreTerminalEverythingElseIsRetried() {
        assertThat(ReconnectRules.isTerminalClose(1000)).isTrue();
        assertThat(ReconnectRules.isTerminalClose(1008)).isTrue();
        for (int code : new int[] {1001, 1006, 1009, 1011, 1013, 4000}) {
            assertThat(ReconnectRules.isTerminalClose(code)).as("close %d", code).isFalse();
        }
    }

    @Test
    void onlyAuthenticationRefusalsEndTheHandshakeRetries() {
        assertThat(ReconnectRules.isTerminalHandshake(401)).isTrue();
        assertThat(ReconnectRules.isTerminalHandshake(403)).isTrue();
        assertThat(ReconnectRules.isTerminalHandshake(404)).isFalse();
        assertThat(ReconnectRules.isTerminalHandshake(503)).isFalse();
    }

    @Test
    void findsTheHandshakeStatusThroughWrappers() throws Exception {
        FakeConnector connector = new FakeConnector();
        connector.open(null, java.util.Map.of(), java.util.List.of(), java.time.Duration.ZERO, new Session(
                new Session.Handler() {
                    public void onMessage(Session s, String t) { }
                    public void onEnded(Session s, int c, String r, Throwable e) { }
                }));
        FakeConnector.Attempt attempt = connector.next();
        attempt.refuseWithStatus(403);
        Throwable failure = attempt.result.handle((ws, e) -> e).get();
        assertThat(failure).isInstanceOf(WebSocketHandshakeException.class);
        assertThat(ReconnectRules.handshakeStatus(new CompletionException(failure))).isEqualTo(403);
        assertThat(ReconnectRules.handshakeStatus(new IOException("refused"))).isEqualTo(-1);
        assertThat(ReconnectRules.handshakeStatus(null)).isEqualTo(-1);
    }
}
