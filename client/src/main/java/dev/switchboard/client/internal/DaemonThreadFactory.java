package dev.switchboard.client.internal;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/** Names the client's own threads and makes them daemons, so a forgotten client never keeps a JVM alive. */
final class DaemonThreadFactory implements ThreadFactory {
    private final String name;

    /** @param name the thread name, e.g. {@code switchboard-client-3-callbacks} */
    DaemonThreadFactory(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
