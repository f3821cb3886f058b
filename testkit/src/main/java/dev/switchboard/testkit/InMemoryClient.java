package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.SessionHandler;
import dev.switchboard.spi.TransportSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client end of an {@link InMemoryTransport} connection. Records every frame the server writes;
 * {@link #pause()} stops acknowledging writes, like a peer that stopped reading, to test slow
 * consumers. Thread-safe.
 */
public final class InMemoryClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Handshake handshake;
    private final String subProtocol;
    private final Consumer<InMemoryClient> onGone;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<int[]> closed = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<Consumer<Throwable>> heldCallbacks = new ArrayList<>();
    private volatile String closeReason = "";
    private volatile SessionHandler handler;
    private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean pingable = true;
    private boolean paused;

    InMemoryClient(Handshake handshake, List<String> supported, Consumer<InMemoryClient> onGone) {
        this.handshake = handshake;
        // Like a real handshake: the first offered sub-protocol the server speaks; none offered is v1.
        this.subProtocol = handshake.subProtocols().stream().filter(supported::contains).findFirst()
                .orElse("switchboard.v1");
        this.onGone = onGone;
    }

    void attach(SessionHandler handler) {
        this.handler = handler;
    }

    TransportSession session() {
        return new TransportSession() {
            @Override
            public Handshake handshake() {
                return handshake;
            }

            @Override
            public String subProtocol() {
                return subProtocol;
            }


            @Override
            public void send(EncodedFrame frame, Consumer<Throwable> done) {
                if (closed.isDone()) {
                    done.accept(new IOException("closed"));
                    return;
                }
                synchronized (InMemoryClient.this) {
                    if (paused) {
                        received.add(frame.text());
                        heldCallbacks.add(done);
                        return;
                    }
                }
                received.add(frame.text());
                done.accept(null);
            }

            @Override
            public boolean ping() {
                if (!pingable) {
                    return false;
                }
                pings.incrementAndGet();
                return true;
            }

            @Override
            public void close(int code, String reason) {
                serverClosed(code, reason);
            }

            @Override
            public void abort() {
                serverClosed(1006, "aborted");
            }
        };
    }

    /** @param text a raw text frame to send to the server */
    public void send(String text) {
        handler.onText(text);
    }

    /** Answers a WebSocket ping, as browsers do by themselves. */
    public void pong() {
        handler.onPong();
    }

    /** @return how many WebSocket pings the server sent (the heartbeat of plain and cloudevents.json connections) */
    public int pings() {
        return pings.get();
    }

    /** Makes this connection's transport unable to ping, like a container without ping support. */
    public void refusePings() {
        pingable = false;
    }

    /**
     * @param timeout how long to wait
     * @return the next text frame the server wrote, as it is (for plain endpoints, which send bare text)
     * @throws AssertionError when none arrives in time
     */
    public String nextText(Duration timeout) {
        try {
            String text = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (text == null) {
                throw new AssertionError("no frame within " + timeout.toMillis() + " ms");
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** @param size a binary frame's size to send to the server */
    public void sendBinary(int size) {
        handler.onBinary(size);
    }

    /**
     * @param timeout how long to wait
     * @return the next frame the server wrote, parsed
     * @throws AssertionError when none arrives in time
     */
    public JsonNode nextFrame(Duration timeout) {
        try {
            String text = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (text == null) {
                throw new AssertionError("no frame within " + timeout.toMillis() + " ms");
            }
            return MAPPER.readTree(text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the next frame if one is already there, else null */
    public JsonNode pollFrame() {
        String text = received.poll();
        try {
            return text == null ? null : MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the negotiated sub-protocol: the first offered one the server speaks, else {@code switchboard.v1} */
    public String subProtocol() {
        return subProtocol;
    }

    /** @return how many frames are waiting to be read by the test */
    public int pendingFrames() {
        return received.size();
    }

    /** Stops acknowledging the server's writes, like a peer that stopped reading. */
    public synchronized void pause() {
        paused = true;
    }

    /** Acknowledges the held writes and goes back to acknowledging at once. */
    public void resume() {
        List<Consumer<Throwable>> held;
        synchronized (this) {
            paused = false;
            held = new ArrayList<>(heldCallbacks);
            heldCallbacks.clear();
        }
        held.forEach(cb -> cb.accept(null));
    }

    /** @return completes with the close code once the connection closed */
    public CompletableFuture<Integer> closeCode() {
        return closed.thenApply(c -> c[0]);
    }

    /** @return the close reason, once closed */
    public String closeReason() {
        return closeReason;
    }

    void serverClosed(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            closeReason = reason; // before the future completes, so its waiters see it
            closed.complete(new int[] {code});
            onGone.accept(this);
            handler.onClosed(code, reason);
        }
    }

    /** Closes from the client side with 1000. */
    @Override
    public void close() {
        serverClosed(1000, "client closed");
    }
}
