package dev.switchboard.backplane;

import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneHealth;
import dev.switchboard.spi.History;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The default backplane of a single node: there is no other node, so nothing is published and the
 * core skips encoding cluster messages altogether. Durable topics live in an {@link InMemoryHistory}.
 */
public final class LocalBackplane implements Backplane {
    private final History history;

    /** Creates the backplane, with durable topics in an {@link InMemoryHistory}. */
    public LocalBackplane() {
        this(new InMemoryHistory());
    }

    /**
     * Creates the backplane of a single node whose durable topics live in the given store (say, one
     * that survives restarts, or an {@link InMemoryHistory} on a test clock).
     *
     * @param history the durable-topic store
     */
    public LocalBackplane(History history) {
        this.history = java.util.Objects.requireNonNull(history, "history");
    }

    @Override
    public void start(String nodeId, Consumer<byte[]> listener) {
        // Nothing to connect to.
    }

    @Override
    public void publish(byte[] message) {
        // No other node exists.
    }

    @Override
    public BackplaneHealth health() {
        return BackplaneHealth.up("local");
    }

    @Override
    public Optional<History> history() {
        return Optional.of(history);
    }

    @Override
    public boolean isLocalOnly() {
        return true;
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
