package dev.switchboard.bench.server;

import dev.switchboard.backplane.InMemoryBackplane;
import dev.switchboard.backplane.LocalBackplane;
import dev.switchboard.spi.Backplane;
import java.util.function.Supplier;

/**
 * Resolves {@code --backplane}. Built in: {@code none} (one node, {@link LocalBackplane}) and
 * {@code memory} (any number of nodes in this JVM on one {@link InMemoryBackplane.Bus}). Any other URI
 * ({@code redis://…}, {@code postgres://…}, {@code mongodb://…}) goes to
 * {@link dev.switchboard.backplane.Backplanes#fromUri}, which finds the backplane module on the class path
 * (the bench jar bundles every backplane module).
 */
public final class Backplanes {

    private Backplanes() {
    }

    /**
     * @param spec the {@code --backplane} value
     * @param nodes how many nodes share it
     * @return one new backplane per call, per node
     * @throws IllegalArgumentException for an unknown scheme or one whose module is not on the classpath
     */
    public static Supplier<Backplane> resolve(String spec, int nodes) {
        if (spec.equals("none")) {
            if (nodes > 1) {
                throw new IllegalArgumentException("--backplane none serves one node; use memory (in-JVM) or a "
                        + "server backplane for --nodes " + nodes);
            }
            return LocalBackplane::new;
        }
        if (spec.equals("memory")) {
            InMemoryBackplane.Bus bus = InMemoryBackplane.bus();
            return bus::backplane;
        }
        // An unknown scheme fails on the first call, which BenchServer makes at once for node 0.
        return () -> dev.switchboard.backplane.Backplanes.fromUri(spec);
    }
}
