package dev.switchboard.transport.jetty.internal;

import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.util.Callback;

/**
 * Adapts one {@link dev.switchboard.spi.TransportSession#send} completion to both Jetty's
 * {@link Callback} and Jakarta's {@link SendHandler}, and guarantees the core's callback runs exactly
 * once even if a write both throws and reports a failure.
 */
final class SendCompletion implements Callback, SendHandler {
    private final Consumer<Throwable> done;
    private final AtomicBoolean completed = new AtomicBoolean();

    SendCompletion(Consumer<Throwable> done) {
        this.done = done;
    }

    @Override
    public void succeeded() {
        complete(null);
    }

    @Override
    public void failed(Throwable cause) {
        complete(cause);
    }

    @Override
    public void onResult(SendResult result) {
        complete(result.isOK() ? null : result.getException());
    }

    /**
     * The core's completion only updates its queue and hands the next frame to the transport, so Jetty
     * may run it directly on the selector thread that finished the write instead of dispatching it.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    private void complete(Throwable cause) {
        if (completed.compareAndSet(false, true)) {
            done.accept(cause);
        }
    }
}
