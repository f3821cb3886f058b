package dev.switchboard.transport.jetty;

import dev.switchboard.CloseCodes;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.transport.internal.PendingUpgrade;
import dev.switchboard.transport.jetty.internal.JakartaTransportSession;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Switchboard WebSocket endpoint for any Jakarta WebSocket 2.x container: one instance per
 * connection, each feeding one core connection. Do not register this class by itself: register the
 * {@link jakarta.websocket.server.ServerEndpointConfig} from {@link SwitchboardEndpointConfig#create},
 * whose configurator authenticates the upgrade and creates the instances.
 *
 * <p>Threading: the container calls these methods on its I/O threads; they never block. Inbound text
 * goes to the core as it arrives, binary messages are reported by size (protocol v1 refuses them), pongs
 * are reported (plain endpoints' heartbeat), and
 * a message over the acceptor's {@link SessionAcceptor#maxFrameBytes()} makes the container close the
 * connection with 1009.
 */
public final class SwitchboardEndpoint extends Endpoint {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardEndpoint.class);

    private final SessionAcceptor acceptor;
    private volatile JakartaTransportSession transportSession;

    /** @param acceptor the core that receives this connection */
    public SwitchboardEndpoint(SessionAcceptor acceptor) {
        this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
    }

    /**
     * Opens the core connection with the identity the configurator authenticated; the core sends
     * {@code welcome} from here.
     */
    @Override
    public void onOpen(Session session, EndpointConfig config) {
        if (!(config.getUserProperties().get(PendingUpgrade.USER_PROPERTY) instanceof PendingUpgrade upgrade)) {
            // Registered without our configurator: nobody authenticated this client.
            log.error("SwitchboardEndpoint opened without SwitchboardEndpointConfig; closing {}", session.getId());
            closeQuietly(session, CloseCodes.INTERNAL_ERROR, "endpoint not configured");
            return;
        }
        int max = acceptor.maxFrameBytes();
        session.setMaxTextMessageBufferSize(max);
        // Binary is refused by the core anyway; a small bound keeps a client from making us buffer it.
        session.setMaxBinaryMessageBufferSize(max);

        JakartaTransportSession ts = new JakartaTransportSession(session, upgrade.handshake());
        transportSession = ts;
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) ts::text);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) b -> ts.binary(b.remaining()));
        session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) p -> ts.pong());
        ts.open(acceptor, upgrade.identity());
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        JakartaTransportSession ts = transportSession;
        if (ts != null) {
            ts.closed(closeReason.getCloseCode().getCode(), closeReason.getReasonPhrase());
        }
    }

    @Override
    public void onError(Session session, Throwable cause) {
        JakartaTransportSession ts = transportSession;
        if (ts != null) {
            ts.error(cause);
        }
    }

    private static void closeQuietly(Session session, int code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (IOException e) {
            log.debug("Close failed", e);
        }
    }
}
