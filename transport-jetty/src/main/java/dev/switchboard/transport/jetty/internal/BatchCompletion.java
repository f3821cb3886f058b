package dev.switchboard.transport.jetty.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.util.Callback;

/**
 * The completion of a batch of frames handed to Jetty at once: the core's callback runs exactly once,
 * when every frame was written or at the first failure.
 */
final class BatchCompletion implements Callback {
    private final Consumer<Throwable> done;
    private final AtomicInteger remaining;

    BatchCompletion(int frames, Consumer<Throwable> done) {
        this.done = done;
        this.remaining = new AtomicInteger(frames);
    }

    @Override
    public void succeeded() {
        if (remaining.decrementAndGet() == 0) {
            done.accept(null);
        }
    }

    @Override
    public void failed(Throwable cause) {
        // Whatever is still counted, nobody else will complete: the first failure wins.
        if (remaining.getAndSet(-1) > 0) {
            done.accept(cause);
        }
    }

    /** The core's completion does no blocking work, so Jetty may run it on the selector thread. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }
}
