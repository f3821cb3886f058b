package dev.switchboard;

import dev.switchboard.backplane.LocalBackplane;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneCapabilities;
import dev.switchboard.spi.BackplaneLink;
import dev.switchboard.spi.BackplaneOptions;
import dev.switchboard.spi.History;
import dev.switchboard.spi.Outbound;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Backplanes for tests: a single node with a given history, and a wrapper that loses chosen messages. */
final class TestBackplanes {

    private TestBackplanes() {
    }

    /** @return a single-node backplane whose durable topics live in {@code history} */
    static Backplane local(History history) {
        return new LocalBackplane(history);
    }

    /** Delegates everything to another backplane. */
    private static class Forwarding implements Backplane {
        final Backplane inner;

        Forwarding(Backplane inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public BackplaneOptions sharedOptions() {
            return inner.sharedOptions();
        }

        @Override
        public BackplaneCapabilities capabilities() {
            return inner.capabilities();
        }

        @Override
        public void start(BackplaneLink link) {
            inner.start(link);
        }

        @Override
        public void publish(List<Outbound> batch) throws Exception {
            inner.publish(batch);
        }

        @Override
        public Optional<History> history() {
            return inner.history();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /**
     * @param inner the real backplane
     * @param history the history this node uses instead of the backplane's own (a wrapper around it)
     * @return the backplane with that history
     */
    static Backplane withHistory(Backplane inner, History history) {
        return new Forwarding(inner) {
            @Override
            public Optional<History> history() {
                return Optional.of(history);
            }
        };
    }

    /**
     * @param inner the real backplane
     * @param lose which published broadcast messages (as text) never reach the other nodes
     * @return a backplane that drops those messages on the way out, as a lossy network would
     */
    static Backplane lossy(Backplane inner, Predicate<String> lose) {
        return new Forwarding(inner) {
            @Override
            public void publish(List<Outbound> batch) throws Exception {
                List<Outbound> kept = new ArrayList<>();
                for (Outbound o : batch) {
                    if (!o.broadcast() || !lose.test(new String(o.message(), StandardCharsets.UTF_8))) {
                        kept.add(o);
                    }
                }
                inner.publish(kept);
            }
        };
    }
}
