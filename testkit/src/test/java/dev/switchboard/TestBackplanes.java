package dev.switchboard;

import dev.switchboard.backplane.LocalBackplane;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneHealth;
import dev.switchboard.spi.History;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Backplanes for tests: a single node with a given history, and a wrapper that loses chosen messages. */
final class TestBackplanes {

    private TestBackplanes() {
    }

    /** @return a single-node backplane whose durable topics live in {@code history} */
    static Backplane local(History history) {
        return new LocalBackplane(history);
    }

    /**
     * @param inner the real backplane
     * @param history the history this node uses instead of the backplane's own (a wrapper around it)
     * @return the backplane with that history
     */
    static Backplane withHistory(Backplane inner, History history) {
        return new Backplane() {
            @Override
            public void start(String nodeId, Consumer<byte[]> listener) {
                inner.start(nodeId, listener);
            }

            @Override
            public void publish(byte[] message) {
                inner.publish(message);
            }

            @Override
            public void publish(String nodeId, byte[] message) {
                inner.publish(nodeId, message);
            }

            @Override
            public BackplaneHealth health() {
                return inner.health();
            }

            @Override
            public Optional<History> history() {
                return Optional.of(history);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    /**
     * @param inner the real backplane
     * @param lose which published messages (as text) never reach the other nodes
     * @return a backplane that drops those messages on the way out, as a lossy network would
     */
    static Backplane lossy(Backplane inner, Predicate<String> lose) {
        return new Backplane() {
            @Override
            public void start(String nodeId, Consumer<byte[]> listener) {
                inner.start(nodeId, listener);
            }

            @Override
            public void publish(byte[] message) {
                if (!lose.test(new String(message, StandardCharsets.UTF_8))) {
                    inner.publish(message);
                }
            }

            @Override
            public void publish(String nodeId, byte[] message) {
                inner.publish(nodeId, message);
            }

            @Override
            public BackplaneHealth health() {
                return inner.health();
            }

            @Override
            public Optional<History> history() {
                return inner.history();
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }
}
