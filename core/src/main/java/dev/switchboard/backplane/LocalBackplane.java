package dev.switchboard.backplane;

import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneCapabilities;
import dev.switchboard.spi.BackplaneLink;
import dev.switchboard.spi.History;
import dev.switchboard.spi.Outbound;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The default backplane of a single node: there is no other node, so nothing is published and the
 * core skips encoding cluster messages altogether ({@link BackplaneCapabilities#localOnly()}). Durable
 * topics live in an {@link InMemoryHistory}.
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
        this.history = Objects.requireNonNull(history, "history");
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public BackplaneCapabilities capabilities() {
        return BackplaneCapabilities.defaults().withLocalOnly(true);
    }

    @Override
    public void start(BackplaneLink link) {
        link.connected("single node");
    }

    @Override
    public void publish(List<Outbound> batch) {
        // No other node exists.
    }

    @Override
    public Optional<History> history() {
        return Optional.of(history);
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
