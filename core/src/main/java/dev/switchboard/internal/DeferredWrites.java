package dev.switchboard.internal;

import java.util.ArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Holds back the writes that queueing frames would start on this thread while one inbound frame (or one
 * message from the backplane) is being handled, and starts them when it is done, the sender's own
 * connection first. A client that
 * publishes to a large topic therefore gets its reply before the fan-out's writes (a system call per
 * recipient) begin, instead of after all of them: the publish is acknowledged as soon as it is routed,
 * and the recipients' writes are the same writes, in the same order, microseconds later. Frames are
 * still queued at once, in order; only the start of each connection's write moves.
 *
 * <p>A large fan-out ({@value #OFFLOAD_AT} or more other connections) is written by one task on the node's
 * handler pool instead of the thread that read the frame: that thread goes back to reading at once, and
 * the frames that the next inbound frames queue for the same connections (a publisher flat out, several
 * publishes in one read) join the writes not yet started, so each connection gets them in one write
 * instead of a system call per frame. Order per connection is unchanged: frames are queued at once, only
 * the start of the write moves. When the pool refuses the task, the writes start here as before.
 *
 * <p>Not thread-safe and not shared: one instance per thread, only while that thread handles a frame.
 */
final class DeferredWrites {
    /** From how many other connections on, their writes are started by a task on the handler pool. */
    static final int OFFLOAD_AT = 32;
    private static final ThreadLocal<DeferredWrites> CURRENT = new ThreadLocal<>();

    // The usual case is one queue (a reply) or none: no list for those.
    private OutboundQueue only;
    private ArrayList<OutboundQueue> more;

    private DeferredWrites() {
    }

    /** @return a new scope on this thread, or {@code null} when one is already open (it collects for both) */
    static DeferredWrites begin() {
        if (CURRENT.get() != null) {
            return null;
        }
        DeferredWrites d = new DeferredWrites();
        CURRENT.set(d);
        return d;
    }

    /**
     * @param queue a queue whose write is about to start
     * @return true when the start is held back until the scope ends, false when there is no scope
     */
    static boolean defer(OutboundQueue queue) {
        DeferredWrites d = CURRENT.get();
        if (d == null) {
            return false;
        }
        if (d.only == null) {
            d.only = queue;
        } else {
            if (d.more == null) {
                d.more = new ArrayList<>();
            }
            d.more.add(queue);
        }
        return true;
    }

    /**
     * Closes the scope and starts the held-back writes: {@code first}'s (the sender's) before the others,
     * which go in the order they were queued — here, or for a large fan-out in one task on {@code pool}.
     *
     * @param first the connection that sent the frame being handled, or {@code null} for a backplane message
     * @param pool where a large fan-out's writes are started
     */
    void end(OutboundQueue first, Executor pool) {
        CURRENT.remove();
        if (only == null) {
            return;
        }
        // Each queue was added once: only the offer that started its write defers it. A backplane message has
        // no sender: nothing to look for (and no scan of a large fan-out's list).
        boolean firstHeld = first != null && (only == first || (more != null && more.remove(first)));
        if (firstHeld) {
            first.pump();
        }
        if (more != null && more.size() >= OFFLOAD_AT) {
            if (only != first) {
                more.add(0, only);
            }
            ArrayList<OutboundQueue> rest = more;
            try {
                pool.execute(() -> pumpAll(rest));
                return;
            } catch (RejectedExecutionException full) {
                pumpAll(rest);
                return;
            }
        }
        if (only != first) {
            only.pump();
        }
        if (more != null) {
            pumpAll(more);
        }
    }

    private static void pumpAll(ArrayList<OutboundQueue> queues) {
        for (int i = 0; i < queues.size(); i++) {
            queues.get(i).pump();
        }
    }
}
