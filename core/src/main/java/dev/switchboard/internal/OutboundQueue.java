package dev.switchboard.internal;

import dev.switchboard.SendResult;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.TransportSession;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection's outbound frames, bounded in bytes. At most one frame is in the transport at a
 * time; the next is written from the previous one's completion callback, so a slow socket holds
 * frames here, where they are counted, rather than in an unbounded transport buffer. When a frame
 * would push the queue past its bound, the frame is refused and {@link Listener#overflow()} fires
 * once; the owner then closes the connection (1013).
 */
final class OutboundQueue {

    /** What the queue reports to its connection. */
    interface Listener {
        /** The bound was hit; called once, on the sender's thread. */
        void overflow();

        /** A write failed; the connection should be aborted. */
        void writeFailed(Throwable cause);

        /** The queue drained after {@link #closeWhenDrained} was asked. */
        void drainedForClose();
    }

    private final TransportSession session;
    private final long maxBytes;
    private final Listener listener;
    private final ArrayDeque<EncodedFrame> frames = new ArrayDeque<>();
    private long queuedBytes;
    private boolean writing;
    private boolean overflowed;
    private boolean closeWhenDrained;
    private boolean closed;

    OutboundQueue(TransportSession session, long maxBytes, Listener listener) {
        this.session = session;
        this.maxBytes = maxBytes;
        this.listener = listener;
    }

    /** Queues a frame; never blocks, never throws for a full or closed queue. */
    SendResult offer(EncodedFrame frame) {
        boolean startWriting = false;
        boolean overflow = false;
        synchronized (this) {
            if (closed || closeWhenDrained) {
                return SendResult.CLOSED;
            }
            if (overflowed) {
                return SendResult.DROPPED;
            }
            if (queuedBytes + frame.size() > maxBytes) {
                overflowed = true;
                overflow = true;
                // Free the backlog now: this connection is about to be closed anyway.
                dropQueued();
            } else {
                frames.add(frame);
                queuedBytes += frame.size();
                if (!writing) {
                    writing = true;
                    startWriting = true;
                }
            }
        }
        if (overflow) {
            listener.overflow();
            return SendResult.DROPPED;
        }
        if (startWriting) {
            pump();
        }
        return SendResult.QUEUED;
    }

    /** Asks for {@link Listener#drainedForClose()} once everything queued so far has been written. */
    void closeWhenDrained() {
        boolean drainedNow;
        synchronized (this) {
            if (closed || closeWhenDrained) {
                return;
            }
            closeWhenDrained = true;
            drainedNow = !writing && frames.isEmpty();
        }
        if (drainedNow) {
            listener.drainedForClose();
        }
    }

    /** Drops everything queued; later offers return CLOSED. */
    void close() {
        synchronized (this) {
            closed = true;
            dropQueued();
        }
    }

    /** Drops the frames not yet handed to the transport; the one in flight stays counted until it completes. */
    private void dropQueued() {
        for (EncodedFrame f : frames) {
            queuedBytes -= f.size();
        }
        frames.clear();
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }

    /**
     * Writes frames until the queue is empty or a write completes asynchronously. Both the caller
     * and the completion callback race for {@code inline}: whoever comes second continues, so a
     * transport that completes synchronously loops here instead of recursing.
     */
    private void pump() {
        while (true) {
            EncodedFrame next;
            synchronized (this) {
                next = closed ? null : frames.poll();
                if (next == null) {
                    writing = false;
                    if (!closeWhenDrained || closed) {
                        return;
                    }
                }
            }
            if (next == null) {
                listener.drainedForClose();
                return;
            }
            EncodedFrame frame = next;
            AtomicBoolean inline = new AtomicBoolean();
            session.send(frame, failure -> {
                synchronized (this) {
                    queuedBytes = Math.max(0, queuedBytes - frame.size());
                }
                if (failure != null) {
                    close();
                    listener.writeFailed(failure);
                    return;
                }
                if (!inline.compareAndSet(false, true)) {
                    pump();
                }
            });
            if (inline.compareAndSet(false, true)) {
                return; // the callback will continue the pump
            }
        }
    }
}
