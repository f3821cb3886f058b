package dev.switchboard.client.internal;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link WebSocket} that records what the client writes. Like the JDK's, it fails a send started
 * before the previous one completed; with {@link #holdSends(boolean)} sends stay incomplete until
 * {@link #completeSends()}, to prove the client chains them.
 */
final class FakeWebSocket implements WebSocket {
    final List<String> sent = new ArrayList<>();
    final List<Integer> closeCodes = new ArrayList<>();
    long requested;
    boolean aborted;
    boolean overlapped;
    private boolean hold;
    private CompletableFuture<WebSocket> inFlight = CompletableFuture.completedFuture(this);
    private final List<CompletableFuture<WebSocket>> held = new ArrayList<>();

    synchronized void holdSends(boolean hold) {
        this.hold = hold;
    }

    void completeSends() {
        // complete one at a time: completing one starts the next chained send
        while (true) {
            CompletableFuture<WebSocket> next;
            synchronized (this) {
                if (held.isEmpty()) {
                    return;
                }
                next = held.remove(0);
            }
            next.complete(this);
        }
    }

    synchronized List<String> sent() {
        return List.copyOf(sent);
    }

    @Override
    public synchronized CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
        if (!inFlight.isDone()) {
            overlapped = true;
            return CompletableFuture.failedFuture(new IllegalStateException("Send pending"));
        }
        if (aborted || !closeCodes.isEmpty()) {
            return CompletableFuture.failedFuture(new java.io.IOException("Output closed"));
        }
        sent.add(data.toString());
        inFlight = new CompletableFuture<>();
        if (hold) {
            held.add(inFlight);
        } else {
            inFlight.complete(this);
        }
        return inFlight;
    }

    @Override
    public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
        return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
        return CompletableFuture.completedFuture(this);
    }

    @Override
    public synchronized CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
        closeCodes.add(statusCode);
        return CompletableFuture.completedFuture(this);
    }

    @Override
    public synchronized void request(long n) {
        requested += n;
    }

    @Override
    public String getSubprotocol() {
        return "switchboard.v1";
    }

    @Override
    public boolean isOutputClosed() {
        return !closeCodes.isEmpty() || aborted;
    }

    @Override
    public boolean isInputClosed() {
        return aborted;
    }

    @Override
    public synchronized void abort() {
        aborted = true;
    }
}
