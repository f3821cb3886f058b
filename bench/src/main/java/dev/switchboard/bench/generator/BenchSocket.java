package dev.switchboard.bench.generator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One generator connection: reads frames as bytes and hands each kind to a subclass, in the
 * {@link Dialect} of its URL (Switchboard protocol v1, or Socket.IO). Answers the server's ping with pong,
 * so idle connections stay open however long a run holds them. Frames arrive on Jetty's client threads, one at a time per connection (explicit demand).
 */
abstract class BenchSocket implements FrameHandler {
    /** Shared by all sockets of a run: frames that failed to send, error frames and error replies. */
    final AtomicLong errors;
    /** Completes when the server's {@code welcome} arrived. */
    final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    /** Completes with the close status when the connection is gone. */
    final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    /** The wire dialect; set by {@link LoadClient#connect} from the URL before the connection opens. */
    volatile Dialect dialect = Dialect.SWITCHBOARD;
    private volatile CoreSession session;
    private ByteArrayOutputStream fragments;

    BenchSocket(AtomicLong errors) {
        this.errors = errors;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        byte op = frame.getOpCode();
        try {
            if (op == OpCode.TEXT || op == OpCode.CONTINUATION) {
                ByteBuffer payload = frame.getPayload();
                if (frame.isFin() && fragments == null) {
                    text(payload == null ? ByteBuffer.allocate(0) : payload);
                } else {
                    // Rare: a server that fragments. Reassemble, then handle the whole message.
                    if (fragments == null) {
                        fragments = new ByteArrayOutputStream();
                    }
                    if (payload != null) {
                        byte[] chunk = new byte[payload.remaining()];
                        payload.duplicate().get(chunk);
                        fragments.writeBytes(chunk);
                    }
                    if (frame.isFin()) {
                        ByteBuffer whole = ByteBuffer.wrap(fragments.toByteArray());
                        fragments = null;
                        text(whole);
                    }
                }
            }
        } catch (RuntimeException e) {
            errors.incrementAndGet();
        } finally {
            callback.succeeded();
            if (op != OpCode.CLOSE) {
                session.demand();
            }
        }
    }

    private void text(ByteBuffer payload) {
        Dialect d = dialect;
        switch (d.kind(payload)) {
            case EVENT -> onEvent(payload);
            case REPLY -> onReply(payload);
            case PING -> send(d.pong());
            case OPEN -> {
                String answer = d.onOpen();
                if (answer != null) {
                    send(answer);
                }
            }
            case WELCOME -> {
                onWelcome(payload);
                welcomed.complete(null);
            }
            case ERROR -> {
                errors.incrementAndGet();
                onError(Frames.text(payload));
            }
            default -> {
                // requests from the server and unknown frames: the bench protocol has none
            }
        }
    }

    /** @param frame the welcome frame */
    void onWelcome(ByteBuffer frame) {
    }

    /** @param frame an event frame; the buffer is only valid during the call */
    void onEvent(ByteBuffer frame) {
    }

    /** @param frame a reply frame; the buffer is only valid during the call */
    void onReply(ByteBuffer frame) {
    }

    /** @param text an error frame's text */
    void onError(String text) {
    }

    /**
     * Sends one text frame without blocking; a failure counts as an error.
     *
     * @param text the frame
     */
    final void send(String text) {
        CoreSession s = session;
        if (s == null || !s.isOutputOpen()) {
            errors.incrementAndGet();
            return;
        }
        s.sendFrame(new Frame(OpCode.TEXT, true, text), Callback.from(() -> { }, f -> errors.incrementAndGet()), false);
    }

    /**
     * @param id the request id
     * @param event the event
     * @param json the data as JSON text
     */
    final void request(long id, String event, String json) {
        send(dialect.request(id, event, json));
    }

    /** @return true while the connection is open both ways */
    final boolean isOpen() {
        CoreSession s = session;
        return s != null && s.isOutputOpen() && !closed.isDone();
    }

    /** Starts a normal close (1000). */
    final void close() {
        CoreSession s = session;
        if (s != null) {
            s.close(CloseStatus.NORMAL, "bench done", Callback.NOOP);
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        closed.complete(closeStatus);
        welcomed.completeExceptionally(new IllegalStateException("closed before welcome: " + closeStatus));
        callback.succeeded();
    }
}
