package dev.switchboard.client.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link Scheduler} over a {@link ScheduledExecutorService} and {@link System#nanoTime()}. */
public final class ExecutorScheduler implements Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorScheduler.class);
    private final ScheduledExecutorService executor;

    /** @param executor runs the timers */
    public ExecutorScheduler(ScheduledExecutorService executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        try {
            // a scheduled task's exception would vanish into its future; log it instead
            Runnable guarded = () -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("client timer task failed", e);
                }
            };
            ScheduledFuture<?> f = executor.schedule(guarded, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            // only after the client closed and shut its own scheduler down: nothing is left to time out
            LOG.debug("scheduler is shut down; timer dropped", e);
            return Cancellable.NONE;
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
