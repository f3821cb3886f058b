package dev.switchboard.client.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands user-visible work (listeners, handlers, future completions) to the callback executor, so that
 * it never runs on the WebSocket I/O thread or a timer thread. Thread-safe.
 */
public final class Callbacks {
    private static final Logger LOG = LoggerFactory.getLogger(Callbacks.class);
    private final Executor executor;

    /** @param executor the callback executor */
    public Callbacks(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Runs a task on the executor; a task that throws is logged. When the executor refuses the task
     * (it was shut down, which happens once the client is closed) the task runs on the calling thread,
     * so that no future is left incomplete.
     *
     * @param task the task
     */
    public void run(Runnable task) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.warn("client callback failed", e);
            }
        };
        try {
            executor.execute(guarded);
        } catch (RejectedExecutionException e) {
            guarded.run();
        }
    }

    /**
     * @param source a future completed on any thread
     * @param <T> the value type
     * @return a future completed with the same outcome on the executor
     */
    public <T> CompletableFuture<T> relay(CompletableFuture<T> source) {
        CompletableFuture<T> target = new CompletableFuture<>();
        source.whenComplete((value, error) -> run(() -> {
            if (error != null) {
                target.completeExceptionally(Futures.unwrap(error));
            } else {
                target.complete(value);
            }
        }));
        return target;
    }
}
