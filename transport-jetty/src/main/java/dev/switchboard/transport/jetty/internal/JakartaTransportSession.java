package dev.switchboard.transport.jetty.internal;

import dev.switchboard.CloseCodes;
import dev.switchboard.Identity;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.spi.SessionHandler;
import dev.switchboard.spi.TransportSession;
import dev.switchboard.transport.internal.SerialInvoker;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.ee11.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection, between a Jakarta {@link Session} and the core's {@link SessionHandler}.
 *
 * <p>Outbound: on Jetty the shared pre-encoded bytes of an {@link EncodedFrame} are written as one TEXT
 * frame straight to Jetty's core session, so one encoding serves every recipient; on another container
 * the frame goes through {@code getAsyncRemote().sendText}. Neither blocks.
 *
 * <p>Inbound: the endpoint feeds {@link #text}, {@link #binary}, {@link #error} and {@link #closed}
 * through a {@link SerialInvoker}, so the core sees them one at a time, after {@code open} returned, and
 * {@code onClosed} exactly once, last.
 */
public final class JakartaTransportSession implements TransportSession {
    private static final Logger log = LoggerFactory.getLogger(JakartaTransportSession.class);
    /** RFC 6455 allows 123 bytes of close reason (125 minus the code). */
    private static final int MAX_REASON_BYTES = 123;

    private final Session session;
    private final CoreSession core;
    private final Handshake handshake;
    private final SerialInvoker invoker = new SerialInvoker();
    private final AtomicBoolean closing = new AtomicBoolean();
    // Only touched by tasks of the invoker, which never run concurrently.
    private SessionHandler handler;
    private boolean closed;

    /**
     * @param session the container's session
     * @param handshake the upgrade request
     */
    public JakartaTransportSession(Session session, Handshake handshake) {
        this.session = Objects.requireNonNull(session, "session");
        this.core = session instanceof JakartaWebSocketSession jetty ? jetty.getCoreSession() : null;
        this.handshake = Objects.requireNonNull(handshake, "handshake");
    }

    /**
     * Opens the core's connection (which sends {@code welcome}). Events that race with it wait.
     *
     * @param acceptor the core
     * @param identity the authenticated identity
     */
    public void open(SessionAcceptor acceptor, Identity identity) {
        invoker.execute(() -> {
            try {
                handler = acceptor.open(this, identity);
            } catch (RuntimeException e) {
                log.warn("Core refused to open a connection for {}", handshake, e);
                close(CloseCodes.INTERNAL_ERROR, "internal error");
            }
        });
    }

    /** @param text a complete inbound text message */
    public void text(String text) {
        invoker.execute(() -> {
            if (handler != null && !closed) {
                handler.onText(text);
            }
        });
    }

    /** @param size the size of an inbound binary message */
    public void binary(int size) {
        invoker.execute(() -> {
            if (handler != null && !closed) {
                handler.onBinary(size);
            }
        });
    }

    /** A pong control frame arrived: the answer to {@link #ping()}. */
    public void pong() {
        invoker.execute(() -> {
            if (handler != null && !closed) {
                handler.onPong();
            }
        });
    }

    /** @param cause a failure the container reported; {@link #closed} follows */
    public void error(Throwable cause) {
        invoker.execute(() -> {
            if (handler != null && !closed) {
                handler.onError(cause);
            }
        });
    }

    /**
     * @param code the close code (1006 when the connection dropped)
     * @param reason the close reason
     */
    public void closed(int code, String reason) {
        closing.set(true);
        invoker.execute(() -> {
            if (closed) {
                return;
            }
            closed = true;
            if (handler != null) {
                handler.onClosed(code, reason == null ? "" : reason);
            }
        });
    }

    /** @return true on Jetty, where frames are written as the shared pre-encoded bytes */
    public boolean writesSharedBuffers() {
        return core != null;
    }

    @Override
    public Handshake handshake() {
        return handshake;
    }

    /** @return the negotiated sub-protocol, or {@code null} when the client offered none (it speaks v1) */
    @Override
    public String subProtocol() {
        String p = session.getNegotiatedSubprotocol();
        return p == null || p.isEmpty() ? null : p;
    }

    @Override
    public void send(EncodedFrame frame, Consumer<Throwable> done) {
        SendCompletion completion = new SendCompletion(done);
        try {
            if (core != null) {
                core.sendFrame(new Frame(OpCode.TEXT, true, frame.buffer()), completion, false);
            } else {
                session.getAsyncRemote().sendText(frame.text(), completion);
            }
        } catch (RuntimeException e) {
            // e.g. IllegalStateException from a container whose session already closed
            completion.failed(e);
        }
    }

    /**
     * On Jetty, hands every frame to the core session at once, all but the last marked batchable, so
     * Jetty's frame flusher gathers them into one write; elsewhere, one after the other.
     */
    @Override
    public void sendBatch(List<EncodedFrame> frames, Consumer<Throwable> done) {
        if (core == null || frames.size() == 1) {
            TransportSession.super.sendBatch(frames, done);
            return;
        }
        int n = frames.size();
        BatchCompletion completion = new BatchCompletion(n, done);
        try {
            for (int i = 0; i < n; i++) {
                core.sendFrame(new Frame(OpCode.TEXT, true, frames.get(i).buffer()), completion, i < n - 1);
            }
        } catch (RuntimeException e) {
            completion.failed(e);
        }
    }

    /**
     * On Jetty the ping goes straight to the core session, whose flusher queues control frames next to a
     * data frame in flight; elsewhere through {@code getAsyncRemote().sendPing} off the caller's thread
     * (some containers write it blocking).
     */
    @Override
    public boolean ping() {
        if (closing.get()) {
            return true;
        }
        if (core != null) {
            core.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
        } else {
            CompletableFuture.runAsync(() -> {
                try {
                    session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
                } catch (IOException | RuntimeException e) {
                    log.debug("Ping failed for {}", handshake, e);
                }
            });
        }
        return true;
    }

    @Override
    public void close(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        String r = truncate(reason == null ? "" : reason);
        if (core != null) {
            core.close(code, r, Callback.NOOP);
        } else {
            // Jakarta's close may write the close frame blocking (e.g. Tomcat): keep it off the caller.
            CompletableFuture.runAsync(() -> closeQuietly(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), r)));
        }
    }

    @Override
    public void abort() {
        closing.set(true);
        if (core != null) {
            core.abort();
        } else {
            // Jakarta has no abort: the closest portable thing is an immediate close.
            CompletableFuture.runAsync(() -> closeQuietly(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "aborted")));
        }
    }

    private void closeQuietly(CloseReason reason) {
        try {
            session.close(reason);
        } catch (IOException | RuntimeException e) {
            log.debug("Close failed for {}", handshake, e);
        }
    }

    static String truncate(String reason) {
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_REASON_BYTES) {
            return reason;
        }
        // Cut on a character boundary: drop continuation bytes (10xxxxxx) at the cut.
        int end = MAX_REASON_BYTES;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "JakartaTransportSession[" + session.getId() + ", " + handshake.path() + "]";
    }
}
