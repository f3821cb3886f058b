package dev.switchboard.transport.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, without ever blocking a submitter. The core requires
 * that calls into one {@link dev.switchboard.spi.SessionHandler} never overlap, but a container may
 * report an idle timeout, a failed write or a close on another thread while a message is being handled.
 * Uncontended (the normal case) a task runs inline on the submitting thread; otherwise the thread
 * already running tasks runs it next, so nobody waits on a lock. Used by every transport; not an API.
 */
public final class SerialInvoker {
    private static final Logger log = LoggerFactory.getLogger(SerialInvoker.class);

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    /** Creates an idle invoker. */
    public SerialInvoker() {
    }

    /** @param task runs on this thread now, or on the thread currently draining, after earlier tasks */
    public void execute(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() != 0) {
            return;
        }
        do {
            Runnable next = tasks.poll();
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                // A failing handler must not stall the tasks queued behind it (e.g. onClosed).
                log.warn("Session task failed", e);
            }
        } while (pending.decrementAndGet() != 0);
    }
}
