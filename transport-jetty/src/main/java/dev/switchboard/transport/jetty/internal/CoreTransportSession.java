package dev.switchboard.transport.jetty.internal;

import dev.switchboard.CloseCodes;
import dev.switchboard.Identity;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.spi.SessionHandler;
import dev.switchboard.spi.TransportSession;
import dev.switchboard.transport.internal.OpenSessions;
import dev.switchboard.transport.internal.PendingUpgrade;
import dev.switchboard.transport.internal.SerialInvoker;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection on Jetty's WebSocket core API: Jetty's {@link FrameHandler} on one side, the
 * core's {@link TransportSession} on the other, and nothing in between — no Jakarta session, decoders,
 * encoders or message sinks, whose per-connection objects and per-message buffers (a 4 KiB string
 * builder per inbound text message) cost more than the work itself.
 *
 * <p>Outbound: each frame's shared pre-encoded bytes are written as one TEXT frame with
 * {@link CoreSession#sendFrame}; a batch goes in one call per frame, all but the last marked batchable,
 * so Jetty's flusher gathers them into one write. Never blocks.
 *
 * <p>Inbound: Jetty delivers one frame at a time and the next only on {@link CoreSession#demand()}. A
 * text message (reassembled from fragments if need be) reaches {@link SessionHandler#onText} as a
 * String, checked as UTF-8 (invalid: close 1007); past {@link SessionAcceptor#maxFrameBytes()} the
 * connection closes with 1009 (a single frame: Jetty's parser refuses it; fragments: counted here).
 * Binary messages are reported by size, pongs (answers to {@link #ping()}) reported. Calls into the handler go through a {@link SerialInvoker}, so
 * they never overlap even when Jetty reports an idle timeout or a failed write on another thread, and
 * {@code onClosed} comes exactly once, last.
 */
public final class CoreTransportSession implements FrameHandler, TransportSession {
    private static final Logger log = LoggerFactory.getLogger(CoreTransportSession.class);

    private final SessionAcceptor acceptor;
    private final PendingUpgrade upgrade;
    private final String subProtocol;
    private final OpenSessions<CoreTransportSession> openSessions;
    private final int maxMessageBytes;
    private final SerialInvoker invoker = new SerialInvoker();
    private volatile CoreSession core;
    private volatile boolean closing;
    // Only touched by tasks of the invoker, which never run concurrently.
    private SessionHandler handler;
    private boolean closed;
    // Only touched on Jetty's frame-delivery path, one frame at a time (demand).
    private Utf8StringBuilder fragments;
    private long messageBytes;
    private boolean binaryMessage;

    /**
     * @param acceptor the core
     * @param upgrade the admitted upgrade: handshake and identity
     * @param subProtocol the accepted sub-protocol, or {@code null}
     * @param openSessions the transport's registry of open sessions
     */
    public CoreTransportSession(SessionAcceptor acceptor, PendingUpgrade upgrade, String subProtocol,
                                OpenSessions<CoreTransportSession> openSessions) {
        this.acceptor = acceptor;
        this.upgrade = upgrade;
        this.subProtocol = subProtocol;
        this.openSessions = openSessions;
        this.maxMessageBytes = acceptor.maxFrameBytes();
    }

    // ---- FrameHandler: Jetty's side ----

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        core = coreSession;
        callback.succeeded();
        invoker.execute(() -> {
            if (!openSessions.add(this)) {
                close(CloseCodes.GOING_AWAY, "server shutting down");
                return;
            }
            try {
                handler = acceptor.open(this, upgrade.identity());
            } catch (RuntimeException e) {
                log.warn("Core refused to open a connection for {}", upgrade.handshake(), e);
                close(CloseCodes.INTERNAL_ERROR, "internal error");
            }
        });
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        byte op = frame.getOpCode();
        try {
            switch (op) {
                case OpCode.TEXT -> startMessage(frame, false);
                case OpCode.BINARY -> startMessage(frame, true);
                case OpCode.CONTINUATION -> continueMessage(frame);
                case OpCode.PONG -> invoker.execute(() -> {
                    if (handler != null && !closed) {
                        handler.onPong();
                    }
                });
                default -> {
                    // PING is answered, and CLOSE completed, by Jetty once the callback succeeds.
                }
            }
            callback.succeeded();
        } catch (BadPayloadException e) {
            callback.failed(e); // Jetty closes with 1007
            return;
        }
        if (op != OpCode.CLOSE) {
            core.demand();
        }
    }

    private void startMessage(Frame frame, boolean binary) {
        ByteBuffer payload = frame.getPayload();
        int size = payload == null ? 0 : payload.remaining();
        if (frame.isFin()) {
            if (binary) {
                deliverBinary(size);
            } else {
                Utf8StringBuilder text = new Utf8StringBuilder(size);
                if (payload != null) {
                    text.append(payload);
                }
                deliverText(text.takeCompleteString(() -> new BadPayloadException("text is not UTF-8")));
            }
            return;
        }
        binaryMessage = binary;
        messageBytes = size;
        if (!binary) {
            fragments = new Utf8StringBuilder(Math.max(size * 2, 256));
            if (payload != null) {
                fragments.append(payload);
            }
        }
        checkSize();
    }

    private void continueMessage(Frame frame) {
        ByteBuffer payload = frame.getPayload();
        messageBytes += payload == null ? 0 : payload.remaining();
        if (!checkSize()) {
            return;
        }
        if (!binaryMessage && fragments != null && payload != null) {
            fragments.append(payload);
        }
        if (frame.isFin()) {
            if (binaryMessage) {
                deliverBinary((int) messageBytes);
            } else if (fragments != null) {
                Utf8StringBuilder text = fragments;
                fragments = null;
                deliverText(text.takeCompleteString(() -> new BadPayloadException("text is not UTF-8")));
            }
            messageBytes = 0;
        }
    }

    /** @return false, and closes with 1009, once a fragmented message grew past the limit */
    private boolean checkSize() {
        if (messageBytes <= maxMessageBytes) {
            return true;
        }
        fragments = null;
        close(CloseCodes.TOO_BIG, "message exceeds " + maxMessageBytes + " bytes");
        return false;
    }

    private void deliverText(String text) {
        invoker.execute(() -> {
            if (handler != null && !closed) {
                handler.onText(text);
            }
        });
    }

    private void deliverBinary(int size) {
        if (size > maxMessageBytes) {
            close(CloseCodes.TOO_BIG, "message exceeds " + maxMessageBytes + " bytes");
            return;
        }
        invoker.execute(() -> {
            if (handler != null && !closed) {
                handler.onBinary(size);
            }
        });
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        invoker.execute(() -> {
            if (handler != null && !closed) {
                handler.onError(cause);
            }
        });
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        closing = true;
        int code = closeStatus == null ? CloseStatus.NO_CLOSE : closeStatus.getCode();
        String reason = closeStatus == null || closeStatus.getReason() == null ? "" : closeStatus.getReason();
        invoker.execute(() -> {
            if (closed) {
                return;
            }
            closed = true;
            openSessions.remove(this);
            if (handler != null) {
                handler.onClosed(code, reason);
            }
        });
        callback.succeeded();
    }

    // ---- TransportSession: the core's side ----

    @Override
    public Handshake handshake() {
        return upgrade.handshake();
    }

    @Override
    public String subProtocol() {
        return subProtocol;
    }

    /** @return the identity the upgrade was admitted with */
    public Identity identity() {
        return upgrade.identity();
    }

    @Override
    public void send(EncodedFrame frame, Consumer<Throwable> done) {
        SendCompletion completion = new SendCompletion(done);
        try {
            core.sendFrame(new Frame(OpCode.TEXT, true, frame.buffer()), completion, false);
        } catch (RuntimeException e) {
            completion.failed(e);
        }
    }

    @Override
    public void sendBatch(List<EncodedFrame> frames, Consumer<Throwable> done) {
        int n = frames.size();
        if (n == 1) {
            send(frames.get(0), done);
            return;
        }
        BatchCompletion completion = new BatchCompletion(n, done);
        try {
            for (int i = 0; i < n; i++) {
                core.sendFrame(new Frame(OpCode.TEXT, true, frames.get(i).buffer()), completion, i < n - 1);
            }
        } catch (RuntimeException e) {
            completion.failed(e);
        }
    }

    /** The ping goes straight to Jetty's core session, whose flusher queues it next to a frame in flight. */
    @Override
    public boolean ping() {
        CoreSession s = core;
        if (!closing && s != null) {
            s.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
        }
        return true;
    }

    @Override
    public void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        CoreSession s = core;
        if (s != null) {
            s.close(code, JakartaTransportSession.truncate(reason == null ? "" : reason), Callback.NOOP);
        }
    }

    @Override
    public void abort() {
        closing = true;
        CoreSession s = core;
        if (s != null) {
            s.abort();
        }
    }

    @Override
    public String toString() {
        return "CoreTransportSession[" + upgrade.handshake().path() + "]";
    }
}
