package dev.switchboard.backplane;

import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneHealth;
import dev.switchboard.spi.History;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An in-JVM message bus for running several nodes in one process, mainly in tests. Create one
 * {@link Bus}, then one backplane per node with {@link Bus#backplane()}. Each node receives messages
 * on its own single delivery thread, in publish order, like a real pub/sub connection.
 *
 * <pre>{@code
 * InMemoryBackplane.Bus bus = InMemoryBackplane.bus();
 * Switchboard a = Switchboard.builder().backplane(bus.backplane()).build();
 * Switchboard b = Switchboard.builder().backplane(bus.backplane()).build();
 * }</pre>
 */
public final class InMemoryBackplane implements Backplane {
    private final Bus bus;
    private volatile String nodeId;
    private volatile ExecutorService delivery;
    private volatile Consumer<byte[]> listener;
    private volatile boolean closed;
    private final AtomicLong dropped = new AtomicLong();

    private InMemoryBackplane(Bus bus) {
        this.bus = bus;
    }

    /** @return a new, empty bus */
    public static Bus bus() {
        return new Bus();
    }

    @Override
    public void start(String nodeId, Consumer<byte[]> listener) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "switchboard-inmemory-bus-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        bus.nodes.put(nodeId, this);
    }

    @Override
    public void publish(byte[] message) {
        if (closed) {
            dropped.incrementAndGet();
            return;
        }
        for (InMemoryBackplane node : bus.nodes.values()) {
            node.deliver(message);
        }
    }

    @Override
    public void publish(String targetNode, byte[] message) {
        if (closed) {
            dropped.incrementAndGet();
            return;
        }
        InMemoryBackplane node = bus.nodes.get(targetNode);
        if (node != null) {
            node.deliver(message);
        }
    }

    private void deliver(byte[] message) {
        ExecutorService d = delivery;
        if (!closed && d != null) {
            d.execute(() -> listener.accept(message));
        }
    }

    @Override
    public Optional<History> history() {
        return Optional.of(bus.history);
    }

    @Override
    public BackplaneHealth health() {
        return (closed ? BackplaneHealth.down("in-memory", "closed") : BackplaneHealth.up("in-memory"))
                .withDropped(dropped.get());
    }

    @Override
    public void close() {
        closed = true;
        if (nodeId != null) {
            bus.nodes.remove(nodeId, this);
        }
        if (delivery != null) {
            delivery.shutdown();
        }
    }

    /** The shared medium that connects the in-memory backplanes of several nodes. */
    public static final class Bus {
        private final Map<String, InMemoryBackplane> nodes = new ConcurrentHashMap<>();
        private final InMemoryHistory history = new InMemoryHistory();

        private Bus() {
        }

        /** @return a new backplane attached to this bus, for one node */
        public InMemoryBackplane backplane() {
            return new InMemoryBackplane(this);
        }

        /** @return the durable-topic history the nodes of this bus share */
        public InMemoryHistory history() {
            return history;
        }
    }
}
