package dev.switchboard.internal;

import java.util.concurrent.Executor;
import org.slf4j.MDC;

/**
 * Puts the node's and the connection's ids in the SLF4J {@link MDC} while the core runs application
 * code (handlers, connect and disconnect callbacks, cluster work), so every log line written there —
 * the application's included — can carry them. Keys: {@value #NODE} and {@value #CONNECTION}. The
 * previous values are restored afterwards, so a task that runs inline on a thread with its own MDC
 * leaves it as it was. Logging backends print them with e.g. {@code %X{switchboard.connection}}.
 */
final class LogContext {
    /** MDC key of the node id. */
    static final String NODE = "switchboard.node";
    /** MDC key of the connection id. */
    static final String CONNECTION = "switchboard.connection";

    private LogContext() {
    }

    /**
     * @param delegate where tasks run
     * @param node the node id
     * @param connection the connection id, or {@code null} for node-level work
     * @return an executor that runs each task on {@code delegate} with those ids in the MDC
     */
    static Executor executor(Executor delegate, String node, String connection) {
        return task -> delegate.execute(wrap(task, node, connection));
    }

    /**
     * @param task the task
     * @param node the node id
     * @param connection the connection id, or {@code null}
     * @return the task, run with those ids in the MDC
     */
    static Runnable wrap(Runnable task, String node, String connection) {
        return () -> {
            String previousNode = MDC.get(NODE);
            String previousConnection = MDC.get(CONNECTION);
            MDC.put(NODE, node);
            put(CONNECTION, connection);
            try {
                task.run();
            } finally {
                put(NODE, previousNode);
                put(CONNECTION, previousConnection);
            }
        };
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
