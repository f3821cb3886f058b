package dev.switchboard.internal;

import dev.switchboard.SendResult;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.TransportSession;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One connection's outbound frames, bounded in bytes. At most one write is in the transport at a
 * time; the next is started from the previous one's completion callback, so a slow socket holds
 * frames here, where they are counted, rather than in an unbounded transport buffer. Each write takes
 * every frame queued so far (up to {@link #MAX_BATCH_FRAMES} / {@link #MAX_BATCH_BYTES}) as one batch,
 * so a busy connection costs one system call per batch rather than one per frame. While the owner's
 * thread handles an inbound frame, the start of a write waits for the end of that frame
 * ({@link DeferredWrites}).
 *
 * <p>The slow-consumer rule judges the backlog, not one frame: a frame is refused, and
 * {@link Listener#overflow()} fires once (the owner then closes the connection with 1013), when the
 * bytes still unwritten ahead of it (the write in flight included) have reached the bound. A frame
 * larger than the whole bound is never queued ({@link SendResult#TOO_LARGE}) and costs the connection
 * nothing. So a connection holds less than twice the bound, and a client that keeps up is never cut off
 * because one large frame arrived.
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
    /** The most frames handed to the transport in one write. */
    static final int MAX_BATCH_FRAMES = 64;
    /** The most bytes handed to the transport in one write (a single larger frame still goes alone). */
    static final int MAX_BATCH_BYTES = 256 * 1024;

    private final ArrayDeque<EncodedFrame> frames = new ArrayDeque<>(4);
    // The write in flight: reused, because there is at most one (only touched by the pumping thread).
    private final List<EncodedFrame> batch = new ArrayList<>(4);
    private final Flight flight = new Flight();
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
            if (frame.size() > maxBytes) {
                return SendResult.TOO_LARGE;
            }
            if (queuedBytes >= maxBytes) {
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
        if (startWriting && !DeferredWrites.defer(this)) {
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
     * Writes batches until the queue is empty or a write completes asynchronously. The caller and the
     * completion callback race on {@link Flight#state}: whoever comes second continues, so a transport
     * that completes synchronously loops here instead of recursing.
     */
    void pump() {
        while (true) {
            long bytes = 0;
            synchronized (this) {
                batch.clear();
                if (!closed) {
                    EncodedFrame f;
                    while (batch.size() < MAX_BATCH_FRAMES && (f = frames.peek()) != null
                            && (batch.isEmpty() || bytes + f.size() <= MAX_BATCH_BYTES)) {
                        batch.add(frames.poll());
                        bytes += f.size();
                    }
                }
                if (batch.isEmpty()) {
                    writing = false;
                    if (!closeWhenDrained || closed) {
                        return;
                    }
                }
            }
            if (batch.isEmpty()) {
                listener.drainedForClose();
                return;
            }
            flight.start(bytes);
            if (batch.size() == 1) {
                session.send(batch.get(0), flight);
            } else {
                session.sendBatch(batch, flight);
            }
            if (flight.handOff()) {
                return; // the callback will continue the pump
            }
        }
    }

    /** The completion of the write in flight. */
    private final class Flight implements Consumer<Throwable> {
        private final AtomicInteger state = new AtomicInteger();
        private long bytes;

        void start(long size) {
            bytes = size;
            state.set(0);
        }

        /** @return true when the write is still in flight: its callback will pump */
        boolean handOff() {
            return state.compareAndSet(0, 1);
        }

        @Override
        public void accept(Throwable failure) {
            long size = bytes;
            synchronized (OutboundQueue.this) {
                queuedBytes = Math.max(0, queuedBytes - size);
            }
            if (failure != null) {
                close();
                listener.writeFailed(failure);
                return;
            }
            if (!state.compareAndSet(0, 1)) {
                pump();
            }
        }
    }
}
