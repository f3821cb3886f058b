package dev.switchboard.spring.boot.internal;

import dev.switchboard.CloseCodes;
import dev.switchboard.Identity;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.spi.SessionHandler;
import dev.switchboard.spi.TransportSession;
import dev.switchboard.transport.internal.OpenSessions;
import dev.switchboard.transport.internal.SerialInvoker;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection between Spring's {@link org.springframework.web.socket.WebSocketSession} and the
 * core's {@link SessionHandler}.
 *
 * <p>Outbound goes through the session's {@link FrameWriter}, which never blocks. Inbound events
 * ({@link #text}, {@link #binary}, {@link #pong}, {@link #error}, {@link #closed}) go through a {@link SerialInvoker}, so
 * the core sees them one at a time, after {@code open} returned, and {@code onClosed} exactly once, last.
 */
public final class SpringTransportSession implements TransportSession {
    private static final Logger log = LoggerFactory.getLogger(SpringTransportSession.class);

    private final String id;
    private final Handshake handshake;
    private final String subProtocol;
    private final FrameWriter writer;
    private final OpenSessions<SpringTransportSession> openSessions;
    private final SerialInvoker invoker = new SerialInvoker();
    private final AtomicBoolean closing = new AtomicBoolean();
    // Only touched by tasks of the invoker, which never run concurrently.
    private SessionHandler handler;
    private boolean closed;

    SpringTransportSession(String id, Handshake handshake, String subProtocol, FrameWriter writer,
                           OpenSessions<SpringTransportSession> openSessions) {
        this.id = id;
        this.handshake = Objects.requireNonNull(handshake, "handshake");
        this.subProtocol = subProtocol == null || subProtocol.isEmpty() ? null : subProtocol;
        this.writer = Objects.requireNonNull(writer, "writer");
        this.openSessions = Objects.requireNonNull(openSessions, "openSessions");
    }

    /**
     * Opens the core's connection (which sends {@code welcome}); refused with 1001 while shutting down.
     *
     * @param acceptor the core
     * @param identity the identity the handshake interceptor authenticated
     */
    void open(SessionAcceptor acceptor, Identity identity) {
        invoker.execute(() -> {
            if (!openSessions.add(this)) {
                close(CloseCodes.GOING_AWAY, "server shutting down");
                return;
            }
            try {
                handler = acceptor.open(this, identity);
            } catch (RuntimeException e) {
                log.warn("Core refused to open a connection for {}", handshake, e);
                close(CloseCodes.INTERNAL_ERROR, "internal error");
            }
        });
    }

    void text(String text) {
        invoker.execute(() -> {
            if (handler != null && !closed) {
                handler.onText(text);
            }
        });
    }

    void binary(int size) {
        invoker.execute(() -> {
            if (handler != null && !closed) {
                handler.onBinary(size);
            }
        });
    }

    void pong() {
        invoker.execute(() -> {
            if (handler != null && !closed) {
                handler.onPong();
            }
        });
    }

    void error(Throwable cause) {
        invoker.execute(() -> {
            if (handler != null && !closed) {
                handler.onError(cause);
            }
        });
    }

    void closed(int code, String reason) {
        closing.set(true);
        invoker.execute(() -> {
            if (closed) {
                return;
            }
            closed = true;
            openSessions.remove(this);
            if (handler != null) {
                handler.onClosed(code, reason == null ? "" : reason);
            }
        });
    }

    /** @return how this session writes frames: {@code jetty-core}, {@code jakarta-async} or {@code spring} */
    public String writerKind() {
        return writer.kind();
    }

    @Override
    public Handshake handshake() {
        return handshake;
    }

    @Override
    public String subProtocol() {
        return subProtocol;
    }

    @Override
    public void send(EncodedFrame frame, Consumer<Throwable> done) {
        writer.send(frame, done);
    }

    @Override
    public void sendBatch(List<EncodedFrame> frames, Consumer<Throwable> done) {
        if (frames.size() == 1 || !writer.sendBatch(frames, done)) {
            TransportSession.super.sendBatch(frames, done);
        }
    }

    /** A WebSocket ping through the container's API; never blocks (on Jakarta containers it runs off-thread). */
    @Override
    public boolean ping() {
        return !closing.get() && writer.ping();
    }

    @Override
    public void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            writer.close(code, FrameWriter.truncate(reason == null ? "" : reason));
        }
    }

    @Override
    public void abort() {
        closing.set(true);
        writer.abort();
    }

    @Override
    public String toString() {
        return "SpringTransportSession[" + id + ", " + handshake.path() + ", " + writer.kind() + "]";
    }
}
