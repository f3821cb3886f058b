package dev.switchboard.spring.boot.internal;

import dev.switchboard.CloseCodes;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.transport.internal.OpenSessions;
import dev.switchboard.transport.internal.PendingUpgrade;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Spring's {@link WebSocketHandler} for a Switchboard endpoint — the protocol endpoint or a plain one — each
 * session becoming one core connection through a {@link SpringTransportSession}. The upgrade was authenticated before by
 * {@link SwitchboardHandshakeInterceptor}, which left the admitted upgrade (handshake and identity) in
 * the session's attributes.
 *
 * <p>Threading: the container calls these methods on its threads; none of them blocks. A text message over
 * the core's {@code maxFrameBytes} makes the container close the connection with 1009.
 */
public final class SwitchboardWebSocketHandler implements WebSocketHandler, SubProtocolCapable {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardWebSocketHandler.class);
    static final String UPGRADE = SwitchboardWebSocketHandler.class.getName() + ".upgrade";
    private static final String SESSION = SwitchboardWebSocketHandler.class.getName() + ".session";

    private final SessionAcceptor acceptor;
    private final OpenSessions<SpringTransportSession> openSessions;
    private final Executor blocking;

    /**
     * @param acceptor the core that receives the connections: the node, or one of its plain endpoints
     * @param openSessions the registry shutdown closes
     * @param blocking runs what may block: close handshakes and pings on Jakarta containers, writes of the
     *     fallback writer
     */
    public SwitchboardWebSocketHandler(SessionAcceptor acceptor, OpenSessions<SpringTransportSession> openSessions,
                                       Executor blocking) {
        this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
        this.openSessions = Objects.requireNonNull(openSessions, "openSessions");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
    }

    /** @return a small pool for what may block, of daemon threads that end when idle */
    public static ExecutorService blockingPool() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "switchboard-ws-blocking-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        PendingUpgrade upgrade = (PendingUpgrade) session.getAttributes().get(UPGRADE);
        FrameWriter writer = FrameWriters.forSession(session, blocking);
        if (upgrade == null) {
            // Mounted without our interceptor: nobody authenticated this client.
            log.error("Switchboard session {} opened without its handshake interceptor; closing it", session.getId());
            writer.close(CloseCodes.INTERNAL_ERROR, "endpoint not configured");
            return;
        }
        int max = acceptor.maxFrameBytes();
        session.setTextMessageSizeLimit(max);
        // Binary is refused by the core anyway; the bound keeps a client from making us buffer it.
        session.setBinaryMessageSizeLimit(max);
        SpringTransportSession ts = new SpringTransportSession(session.getId(), upgrade.handshake(),
                session.getAcceptedProtocol(), writer, openSessions);
        session.getAttributes().put(SESSION, ts);
        ts.open(acceptor, upgrade.identity());
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
        } else if (message instanceof PongMessage) {
            ts.pong(); // the answer to a WebSocket ping (plain and cloudevents.json connections)
        }
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

    /**
     * @return the core's sub-protocols ({@code switchboard.v1}, {@code cloudevents.json}; none for a plain
     *     endpoint), so Spring's handshake handler negotiates them
     */
    @Override
    public List<String> getSubProtocols() {
        return acceptor.subProtocols();
    }

    /**
     * @param session Spring's session
     * @return the transport session of an open connection, or {@code null}
     */
    public static SpringTransportSession transportSession(WebSocketSession session) {
        return (SpringTransportSession) session.getAttributes().get(SESSION);
    }
}
