package dev.switchboard.bench.server;

import dev.switchboard.spi.Backplane;
import java.util.function.Supplier;

/**
 * Turns a {@code --backplane} value into backplanes for the nodes of one bench server. Found with
 * {@link java.util.ServiceLoader}, so a backplane module (Redis, Postgres, MongoDB) can add its scheme by
 * shipping an implementation and a {@code META-INF/services/dev.switchboard.bench.server.BackplaneProvider}
 * entry on the classpath, without the bench compiling against it.
 */
public interface BackplaneProvider {

    /**
     * @param spec the {@code --backplane} value, e.g. {@code none}, {@code memory},
     *     {@code redis://127.0.0.1:6379}
     * @return true if this provider understands it
     */
    boolean supports(String spec);

    /**
     * Prepares what the nodes share (a connection string, an in-JVM bus) once per server.
     *
     * @param spec a value {@link #supports} accepted
     * @param nodes how many nodes the server runs in this JVM
     * @return a source of one new backplane per node
     * @throws IllegalArgumentException when the spec cannot serve that many nodes (e.g. {@code none} with 2)
     */
    Supplier<Backplane> factory(String spec, int nodes);
}
