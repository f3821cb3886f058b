package dev.switchboard.client.internal;

import java.time.Duration;

/**
 * Timers and a monotonic clock, so that timeout, backoff and heartbeat logic can be driven by a manual
 * scheduler in tests instead of waiting for real time. Implementations are thread-safe.
 */
public interface Scheduler {

    /**
     * Runs a task once after a delay, on the scheduler's thread. The task must not block.
     *
     * @param delay how long to wait; zero or negative runs it as soon as possible
     * @param task the task
     * @return a handle to cancel it; cancelling a task that ran or was cancelled does nothing
     */
    Cancellable schedule(Duration delay, Runnable task);

    /** @return a monotonic time in nanoseconds, comparable only with other values of this scheduler */
    long nanoTime();

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** A handle that cancels nothing. */
        Cancellable NONE = () -> { };

        /** Cancels the task if it has not run yet. Idempotent. */
        void cancel();
    }
}
