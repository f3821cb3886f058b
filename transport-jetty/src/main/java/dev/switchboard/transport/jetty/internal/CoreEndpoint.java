package dev.switchboard.transport.jetty.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.spi.HandshakeRefusedException;
import dev.switchboard.transport.internal.OpenSessions;
import dev.switchboard.transport.internal.PendingUpgrade;
import dev.switchboard.transport.internal.Refusal;
import dev.switchboard.transport.internal.UpgradeGate;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded transport's WebSocket endpoint on Jetty's WebSocket core API: runs the
 * {@link UpgradeGate}'s checks on each upgrade request, answers a refusal with its status (401, 403, 429,
 * 503, with {@code WWW-Authenticate} or {@code Retry-After} where they apply) and the wire protocol's
 * error body before upgrading, and otherwise accepts the sub-protocol the gate chose and
 * creates one {@link CoreTransportSession}. Called by Jetty on its upgrade thread; thread-safe.
 */
public final class CoreEndpoint implements WebSocketNegotiator {
    private static final Logger log = LoggerFactory.getLogger(CoreEndpoint.class);

    private final UpgradeGate gate;
    private final OpenSessions<CoreTransportSession> openSessions;
    private final boolean compression;

    /**
     * @param gate the handshake checks
     * @param openSessions the transport's registry of open sessions
     * @param compression whether to keep {@code permessage-deflate} when a client offers it
     */
    public CoreEndpoint(UpgradeGate gate, OpenSessions<CoreTransportSession> openSessions, boolean compression) {
        this.gate = gate;
        this.openSessions = openSessions;
        this.compression = compression;
    }

    /**
     * Jetty's parser hands a frame past the acceptor's limit over in pieces (auto-fragment), which the
     * session counts against that limit (1009), so nothing bigger is ever buffered; frames the server
     * writes past it go out fragmented (clients reassemble them), as with the Jakarta endpoint.
     */
    @Override
    public void customize(Configuration configuration) {
        configuration.setMaxFrameSize(gate.acceptor().maxFrameBytes());
        configuration.setAutoFragment(true);
    }

    @Override
    public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        PendingUpgrade upgrade;
        try {
            upgrade = gate.admit(JettyHandshakes.fromCore(request));
        } catch (HandshakeRefusedException e) {
            refuse(response, callback, e);
            return null; // refused: the response is written, nothing is upgraded
        }
        String subProtocol = gate.subProtocol(request.getSubProtocols());
        if (!subProtocol.isEmpty()) {
            response.setAcceptedSubProtocol(subProtocol);
        }
        if (!compression) {
            response.setExtensions(List.of());
        }
        return new CoreTransportSession(gate.acceptor(), upgrade, subProtocol.isEmpty() ? null : subProtocol,
                openSessions);
    }

    private static void refuse(ServerUpgradeResponse response, Callback callback, HandshakeRefusedException e) {
        log.debug("Refused WebSocket upgrade: {} {}", e.httpStatus(), e.getMessage());
        Refusal refusal = Refusal.of(e);
        response.setStatus(refusal.status());
        refusal.headers().forEach(response.getHeaders()::put);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(refusal.body().length));
        response.write(true, ByteBuffer.wrap(refusal.body()), callback);
    }
}
