package dev.switchboard.internal;

import java.lang.reflect.Method;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates the executors handlers and timers run on. */
final class HandlerExecutors {

    private HandlerExecutors() {
    }

    /**
     * Virtual threads where the runtime has them (Java 21+), so blocking handlers cost little; on
     * Java 17–20 a bounded pool whose queue rejects past {@code queue} tasks, so a flood turns into
     * {@code unavailable} replies instead of unbounded memory.
     */
    static ExecutorService handlers(String nodeId, int threads, int queue) {
        try {
            Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) m.invoke(null);
        } catch (ReflectiveOperationException notOnThisJava) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(queue), daemon("switchboard-handler-" + nodeId));
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }

    /** One daemon timer thread for heartbeats and request timeouts; tasks are tiny and never block. */
    static ScheduledExecutorService timer(String nodeId) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("switchboard-timer-" + nodeId));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
