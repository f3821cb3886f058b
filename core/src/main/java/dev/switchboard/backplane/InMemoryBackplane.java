package dev.switchboard.backplane;

import dev.switchboard.BackplaneException;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneCapabilities;
import dev.switchboard.spi.BackplaneLink;
import dev.switchboard.spi.BackplaneOptions;
import dev.switchboard.spi.History;
import dev.switchboard.spi.Outbound;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-JVM message bus for running several nodes in one process, mainly in tests. Create one
 * {@link Bus}, then one backplane per node with {@link Bus#backplane()}. A publish hands the bytes to
 * every attached node's pipeline at once, on the publishing thread (the core queues them for its own
 * delivery thread).
 *
 * <pre>{@code
 * InMemoryBackplane.Bus bus = InMemoryBackplane.bus();
 * Switchboard a = Switchboard.builder().backplane(bus.backplane()).build();
 * Switchboard b = Switchboard.builder().backplane(bus.backplane()).build();
 * }</pre>
 */
public final class InMemoryBackplane implements Backplane {
    private final Bus bus;
    private final BackplaneOptions options;
    private volatile BackplaneLink link;
    private volatile String nodeId;
    private volatile boolean closed;

    private InMemoryBackplane(Bus bus, BackplaneOptions options) {
        this.bus = bus;
        this.options = options;
    }

    /** @return a new, empty bus */
    public static Bus bus() {
        return new Bus();
    }

    @Override
    public String name() {
        return "in-memory";
    }

    @Override
    public BackplaneOptions sharedOptions() {
        return options;
    }

    @Override
    public BackplaneCapabilities capabilities() {
        return BackplaneCapabilities.defaults().withDurableHistory(true).withPublishesWithoutBlocking(true);
    }

    @Override
    public void start(BackplaneLink link) {
        this.link = Objects.requireNonNull(link, "link");
        this.nodeId = link.nodeId();
        bus.attach(nodeId, this);
        link.connected("in-memory bus");
    }

    @Override
    public void publish(List<Outbound> batch) {
        if (closed) {
            throw new BackplaneException("in-memory backplane closed", null);
        }
        for (Outbound o : batch) {
            if (o.broadcast()) {
                for (InMemoryBackplane node : bus.all()) {
                    node.deliver(o.message());
                }
            } else {
                for (InMemoryBackplane node : bus.named(o.target())) {
                    node.deliver(o.message());
                }
            }
        }
    }

    /** Hands the message to every receiving node's pipeline (a queue each), on the caller's thread. */
    @Override
    public java.util.concurrent.CompletionStage<Void> publishAsync(Outbound message) {
        try {
            publish(List.of(message));
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    private void deliver(byte[] message) {
        BackplaneLink l = link;
        if (!closed && l != null) {
            l.received(message);
        }
    }

    @Override
    public boolean rename(String fresh) {
        String old = nodeId;
        nodeId = fresh;
        bus.attach(fresh, this);
        bus.detach(old, this);
        return true;
    }

    @Override
    public Optional<History> history() {
        return Optional.of(bus.history);
    }

    @Override
    public void close() {
        closed = true;
        if (nodeId != null) {
            bus.detach(nodeId, this);
        }
    }

    /** The shared medium that connects the in-memory backplanes of several nodes. */
    public static final class Bus {
        // A list per id: two nodes may (wrongly) share an id, and both must hear what is sent to it.
        private final Map<String, List<InMemoryBackplane>> nodes = new ConcurrentHashMap<>();
        private final InMemoryHistory history = new InMemoryHistory();

        private Bus() {
        }

        /** @return a new backplane attached to this bus, for one node, with the default options */
        public InMemoryBackplane backplane() {
            return backplane(BackplaneOptions.defaults());
        }

        /**
         * @param options the shared options (liveness interval, queues) for this node's pipeline
         * @return a new backplane attached to this bus, for one node
         */
        public InMemoryBackplane backplane(BackplaneOptions options) {
            return new InMemoryBackplane(this, Objects.requireNonNull(options, "options"));
        }

        /** @return the durable-topic history the nodes of this bus share */
        public InMemoryHistory history() {
            return history;
        }

        private void attach(String id, InMemoryBackplane b) {
            nodes.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(b);
        }

        private void detach(String id, InMemoryBackplane b) {
            List<InMemoryBackplane> l = nodes.get(id);
            if (l != null) {
                l.remove(b);
            }
        }

        private List<InMemoryBackplane> named(String id) {
            return nodes.getOrDefault(id, List.of());
        }

        private List<InMemoryBackplane> all() {
            List<InMemoryBackplane> out = new java.util.ArrayList<>();
            nodes.values().forEach(out::addAll);
            return out;
        }
    }
}
