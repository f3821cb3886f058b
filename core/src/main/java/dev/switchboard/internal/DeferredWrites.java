package dev.switchboard.internal;

import java.util.ArrayList;

/**
 * Holds back the writes that queueing frames would start on this thread while one inbound frame is
 * being handled, and starts them when it is done, the sender's own connection first. A client that
 * publishes to a large topic therefore gets its reply before the fan-out's writes (a system call per
 * recipient) begin, instead of after all of them: the publish is acknowledged as soon as it is routed,
 * and the recipients' writes are the same writes, in the same order, microseconds later. Frames are
 * still queued at once, in order; only the start of each connection's write moves.
 *
 * <p>Not thread-safe and not shared: one instance per thread, only while that thread handles a frame.
 */
final class DeferredWrites {
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
     * which go in the order they were queued.
     *
     * @param first the connection that sent the frame being handled
     */
    void end(OutboundQueue first) {
        CURRENT.remove();
        if (only == null) {
            return;
        }
        // Each queue was added once: only the offer that started its write defers it.
        boolean firstHeld = only == first || (more != null && more.remove(first));
        if (firstHeld) {
            first.pump();
        }
        if (only != first) {
            only.pump();
        }
        if (more != null) {
            for (int i = 0; i < more.size(); i++) {
                more.get(i).pump();
            }
        }
    }
}
