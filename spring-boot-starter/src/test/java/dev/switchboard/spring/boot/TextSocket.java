package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare WebSocket (the JDK's), as a browser's {@code new WebSocket(url, protocols)} opens it: records every
 * text message and ping, answers pings with pongs (the JDK does that by itself), and tells how it closed.
 */
final class TextSocket implements AutoCloseable {
    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final BlockingQueue<Integer> pings = new LinkedBlockingQueue<>();
    private final AtomicInteger pingCount = new AtomicInteger();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final WebSocket ws;

    private TextSocket(URI uri, String... subProtocols) throws Exception {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
        if (subProtocols.length > 0) {
            b.subprotocols(subProtocols[0], java.util.Arrays.copyOfRange(subProtocols, 1, subProtocols.length));
        }
        ws = b.buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    texts.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                pings.add(pingCount.incrementAndGet());
                webSocket.request(1);
                return null; // the JDK answers with a pong once this returns
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(error);
            }
        }).get(30, TimeUnit.SECONDS);
    }

    static TextSocket open(URI uri, String... subProtocols) throws Exception {
        return new TextSocket(uri, subProtocols);
    }

    /** @return the next text message, waiting for it */
    String next() throws InterruptedException {
        String t = texts.poll(Recorder.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(t).as("a text message within %s", Recorder.WAIT).isNotNull();
        return t;
    }

    /** Waits for the n-th ping from the server. */
    void awaitPing(int n) throws InterruptedException {
        Integer seen;
        do {
            seen = pings.poll(Recorder.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(seen).as("ping %d within %s", n, Recorder.WAIT).isNotNull();
        } while (seen < n);
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    @Override
    public void close() {
        ws.abort();
    }
}
