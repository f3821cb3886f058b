package dev.switchboard.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: one per connection, so a
 * client's emits are handled in the order it sent them without a thread per connection.
 */
final class SerialExecutor implements Executor {
    private final Executor delegate;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        schedule();
    }

    private void schedule() {
        try {
            delegate.execute(this::runBatch);
        } catch (RejectedExecutionException e) {
            synchronized (tasks) {
                tasks.clear();
                running = false;
            }
            throw e;
        }
    }

    private void runBatch() {
        Runnable next;
        synchronized (tasks) {
            next = tasks.poll();
            if (next == null) {
                running = false;
                return;
            }
        }
        try {
            next.run();
        } finally {
            boolean more;
            synchronized (tasks) {
                more = !tasks.isEmpty();
                if (!more) {
                    running = false;
                }
            }
            if (more) {
                // Re-submit rather than loop, so one busy connection cannot starve the pool.
                try {
                    schedule();
                } catch (RejectedExecutionException ignored) {
                    // The node is shutting down; the remaining tasks were dropped.
                }
            }
        }
    }
}
