package dev.switchboard.internal;

import dev.switchboard.spi.BackplaneLink;
import dev.switchboard.spi.ReconnectBackoff;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The adapter's view of a {@link BackplanePipeline}: each call goes to the pipeline's handler for it.
 *
 * @param id this node's current id
 * @param onReceived takes every received message (verified and queued by the pipeline)
 * @param onUp told that the adapter is subscribed and can publish, with a detail
 * @param onDown told that the adapter lost its connection or subscription, with a detail
 * @param backoff the one reconnect backoff
 */
record PipelineLink(Supplier<String> id, Consumer<byte[]> onReceived, Consumer<String> onUp, Consumer<String> onDown,
                    ReconnectBackoff backoff) implements BackplaneLink {

    @Override
    public String nodeId() {
        return id.get();
    }

    @Override
    public void received(byte[] message) {
        onReceived.accept(message);
    }

    @Override
    public void connected(String detail) {
        onUp.accept(detail);
    }

    @Override
    public void disconnected(String detail) {
        onDown.accept(detail);
    }
}
