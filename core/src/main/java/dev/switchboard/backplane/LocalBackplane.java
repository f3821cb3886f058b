package dev.switchboard.backplane;

import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneHealth;
import java.util.function.Consumer;

/**
 * The default backplane of a single node: there is no other node, so nothing is published and the
 * core skips encoding cluster messages altogether.
 */
public final class LocalBackplane implements Backplane {

    /** Creates the backplane. */
    public LocalBackplane() {
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
    public boolean isLocalOnly() {
        return true;
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
