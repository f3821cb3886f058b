package dev.switchboard.client.internal;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection of the client (a reconnect makes a new one). Adapts the JDK's
 * {@link WebSocket.Listener} to whole text messages and one end-of-connection signal, and serialises
 * writes.
 *
 * <p>The JDK socket delivers a text message in parts and only after {@link WebSocket#request(long)}:
 * parts are accumulated until {@code last}, then the message is handed on, then one more message is
 * requested. It also forbids starting a send before the previous one completed, so every send is chained
 * on the previous send's future, which keeps frames in call order too.
 */
public final class Session implements WebSocket.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    /** What a session reports to its owner. Called on the socket's I/O thread; must not block. */
    public interface Handler {
        /**
         * @param session the session
         * @param text one complete text message
         */
        void onMessage(Session session, String text);

        /**
         * Called exactly once per session, when the connection ended for any reason: closed by either
         * side, broken, aborted, or never opened.
         *
         * @param session the session
         * @param code the close code (1006 when there was no close frame)
         * @param reason the close reason or failure description, never null
         * @param cause the failure, or null for a close frame or an abort
         */
        void onEnded(Session session, int code, String reason, Throwable cause);
    }

    private final Handler handler;
    private final StringBuilder partial = new StringBuilder();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Object sendLock = new Object();
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private volatile WebSocket socket;
    private volatile long lastReceivedNanos;
    private volatile boolean aborted;

    /** @param handler receives messages and the end */
    public Session(Handler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        attach(webSocket);
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        this.socket = webSocket;
        // copy: the JDK may reuse the CharSequence once this method returns
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                handler.onMessage(this, text);
            } catch (RuntimeException e) {
                LOG.warn("failed to handle a message from the server", e);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        LOG.debug("ignoring a binary message part from the server ({} bytes)", data.remaining());
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        // the JDK answers protocol-level pings itself; only demand needs renewing
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        // returning null lets the JDK echo the close frame at once, completing the closing handshake
        end(statusCode, reason == null ? "" : reason, null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        fail(error);
    }

    /**
     * Reports the end of a connection that failed or could not be opened (if not reported yet).
     *
     * @param error the failure
     */
    public void fail(Throwable error) {
        end(1006, error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage(), error);
    }

    /**
     * Records that a frame arrived now, for the heartbeat check.
     *
     * @param nanos the scheduler's time
     */
    public void touch(long nanos) {
        lastReceivedNanos = nanos;
    }

    /** @return the scheduler time of the last frame received (or of the connection start) */
    public long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    /**
     * Binds the opened socket; called from {@link #onOpen} and when the connect future completes. A socket
     * that opens after the session was aborted (the client closed while connecting) is dropped at once.
     *
     * @param webSocket the socket
     */
    public void attach(WebSocket webSocket) {
        this.socket = webSocket;
        // pairs with abort(): one of the two sees the other's volatile write, so no socket leaks
        if (aborted || ended.get()) {
            webSocket.abort();
        }
    }

    /**
     * Queues a text frame behind every earlier send.
     *
     * @param text the whole message
     * @return completes when the frame was handed to the socket; fails when the write failed
     */
    public CompletableFuture<Void> send(String text) {
        return chain(ws -> ws.sendText(text, true));
    }

    /**
     * Queues a close frame behind every earlier send.
     *
     * @param code the close code
     * @param reason the reason
     * @return completes when the close frame was written
     */
    public CompletableFuture<Void> close(int code, String reason) {
        return chain(ws -> ws.sendClose(code, reason));
    }

    /**
     * Drops the connection at once, and reports the end (if not reported yet) with the given status.
     *
     * @param code the code to report
     * @param reason the reason to report
     */
    public void abort(int code, String reason) {
        aborted = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        end(code, reason, null);
    }

    /** @return true once the end was reported */
    public boolean isEnded() {
        return ended.get();
    }

    private CompletableFuture<Void> chain(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> op) {
        synchronized (sendLock) {
            CompletableFuture<Void> next = tail.handle((v, e) -> null).thenCompose(ignored -> {
                WebSocket ws = socket;
                if (ws == null) {
                    return CompletableFuture.failedFuture(new IllegalStateException("socket not open"));
                }
                return op.apply(ws);
            }).thenApply(ws -> null);
            tail = next;
            return next;
        }
    }

    private void end(int code, String reason, Throwable cause) {
        if (ended.compareAndSet(false, true)) {
            try {
                handler.onEnded(this, code, reason, cause);
            } catch (RuntimeException e) {
                LOG.warn("failed to handle the end of a connection", e);
            }
        }
    }
}
