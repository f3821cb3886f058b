package dev.switchboard.spring.boot.internal;

import dev.switchboard.CloseCodes;
import dev.switchboard.Identity;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.SessionAcceptor;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Spring's {@link WebSocketHandler} for the Switchboard endpoint: each session becomes one core connection
 * through a {@link SpringTransportSession}. The upgrade was authenticated before by
 * {@link SwitchboardHandshakeInterceptor}, which left the handshake and identity in the session's
 * attributes.
 *
 * <p>Threading: the container calls these methods on its threads; none of them blocks. A text message over
 * the core's {@code maxFrameBytes} makes the container close the connection with 1009.
 */
public final class SwitchboardWebSocketHandler implements WebSocketHandler, SubProtocolCapable, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardWebSocketHandler.class);
    static final String HANDSHAKE = SwitchboardWebSocketHandler.class.getName() + ".handshake";
    static final String IDENTITY = SwitchboardWebSocketHandler.class.getName() + ".identity";
    private static final String SESSION = SwitchboardWebSocketHandler.class.getName() + ".session";

    private final SessionAcceptor acceptor;
    private final OpenSessions openSessions;
    private final ExecutorService blocking;

    /**
     * @param acceptor the core that receives the connections
     * @param openSessions the registry shutdown closes
     */
    public SwitchboardWebSocketHandler(SessionAcceptor acceptor, OpenSessions openSessions) {
        this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
        this.openSessions = Objects.requireNonNull(openSessions, "openSessions");
        AtomicInteger n = new AtomicInteger();
        // Only what may block runs here: close handshakes on Jakarta containers, writes of the fallback.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "switchboard-ws-close-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.blocking = pool;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        Handshake handshake = (Handshake) session.getAttributes().get(HANDSHAKE);
        Identity identity = (Identity) session.getAttributes().get(IDENTITY);
        FrameWriter writer = FrameWriters.forSession(session, blocking);
        if (handshake == null || identity == null) {
            // Mounted without our interceptor: nobody authenticated this client.
            log.error("Switchboard session {} opened without its handshake interceptor; closing it", session.getId());
            writer.close(CloseCodes.INTERNAL_ERROR, "endpoint not configured");
            return;
        }
        int max = acceptor.maxFrameBytes();
        session.setTextMessageSizeLimit(max);
        // Binary is refused by the core anyway; the bound keeps a client from making us buffer it.
        session.setBinaryMessageSizeLimit(max);
        SpringTransportSession ts = new SpringTransportSession(session.getId(), handshake, session.getAcceptedProtocol(),
                writer, openSessions);
        session.getAttributes().put(SESSION, ts);
        ts.open(acceptor, identity);
    }

    @Override
    public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
        SpringTransportSession ts = transportSession(session);
        if (ts == null) {
            return;
        }
        if (message instanceof TextMessage text) {
            ts.text(text.getPayload());
        } else if (message instanceof BinaryMessage binary) {
            ts.binary(binary.getPayloadLength());
        }
        // pongs carry nothing for the core: protocol v1 pings in JSON frames
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        SpringTransportSession ts = transportSession(session);
        if (ts != null) {
            ts.error(exception);
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
        SpringTransportSession ts = transportSession(session);
        if (ts != null) {
            ts.closed(closeStatus.getCode(), closeStatus.getReason());
        }
    }

    @Override
    public boolean supportsPartialMessages() {
        return false;
    }

    /** @return the core's sub-protocols, so Spring's handshake handler negotiates them */
    @Override
    public List<String> getSubProtocols() {
        return acceptor.subProtocols();
    }

    /** Stops the close executor once the context is gone. */
    @Override
    public void destroy() {
        blocking.shutdown();
    }

    /**
     * @param session Spring's session
     * @return the transport session of an open connection, or {@code null}
     */
    public static SpringTransportSession transportSession(WebSocketSession session) {
        return (SpringTransportSession) session.getAttributes().get(SESSION);
    }
}
