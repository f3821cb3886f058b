package dev.switchboard.bench.jmh;

import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.TransportSession;
import java.util.function.Consumer;

/**
 * A transport session that writes nothing and completes every send at once, so a benchmark measures
 * the core's routing and queueing and none of the I/O.
 */
public final class NoopSession implements TransportSession {
    private static final Handshake HANDSHAKE = Handshake.of("/ws");
    private long frames;

    @Override
    public Handshake handshake() {
        return HANDSHAKE;
    }

    @Override
    public String subProtocol() {
        return null;
    }

    @Override
    public void send(EncodedFrame frame, Consumer<Throwable> done) {
        frames++;
        done.accept(null);
    }

    @Override
    public void close(int code, String reason) {
        // nothing to close
    }

    @Override
    public void abort() {
        // nothing to drop
    }

    /** @return how many frames were "written" (racy; for sanity checks only) */
    public long frames() {
        return frames;
    }
}
