package dev.switchboard.client.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A {@link Scheduler} whose time only moves when a test calls {@link #advance(Duration)}. */
final class ManualScheduler implements Scheduler {
    private final List<Task> tasks = new ArrayList<>();
    private long now;
    private long sequence;

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(now + Math.max(0, delay.toNanos()), sequence++, task);
        tasks.add(t);
        return () -> {
            synchronized (this) {
                tasks.remove(t);
            }
        };
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    /** Moves time forward, running every task that falls due, in due order (tasks may schedule more). */
    void advance(Duration by) {
        long target;
        synchronized (this) {
            target = now + by.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.due <= target)
                        .min(Comparator.comparingLong(Task::due).thenComparingLong(Task::seq)).orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                tasks.remove(next);
                now = Math.max(now, next.due);
            }
            next.run.run();
        }
    }

    /** @return the delays, from now, of the tasks still scheduled */
    synchronized List<Duration> pendingDelays() {
        return tasks.stream().sorted(Comparator.comparingLong(Task::due)).map(t -> Duration.ofNanos(t.due - now)).toList();
    }

    private record Task(long due, long seq, Runnable run) {
    }
}
