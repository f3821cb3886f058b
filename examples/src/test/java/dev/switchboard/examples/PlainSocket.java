package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the seed's page does, from Java: a plain WebSocket (JDK client, no sub-protocol) that sends text
 * and records every text it receives, in order.
 */
final class PlainSocket implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final WebSocket socket;
    private final BlockingQueue<String> texts;
    private final CompletableFuture<Integer> closed;
    private final List<String> seen = new ArrayList<>();

    private PlainSocket(WebSocket socket, Listener listener) {
        this.socket = socket;
        this.texts = listener.texts;
        this.closed = listener.closed;
    }

    /** @param uri e.g. {@code ws://localhost:8080/chat/Alice?age=20} @return the connected socket */
    static PlainSocket connect(URI uri) {
        Listener listener = new Listener();
        try {
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT)
                    .buildAsync(uri, listener).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new PlainSocket(ws, listener);
        } catch (Exception e) {
            throw new AssertionError("connect to " + uri + " failed", e);
        }
    }

    /** @param uri where to connect @return the HTTP status the refused handshake got */
    static int refusedStatus(URI uri) {
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new Listener())
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).abort();
            throw new AssertionError("handshake to " + uri + " was accepted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    void send(String text) {
        socket.sendText(text, true).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** @return the next text received, failing after the timeout */
    String next() {
        try {
            String t = texts.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (t == null) {
                throw new AssertionError("no text within " + TIMEOUT + " after " + seen);
            }
            seen.add(t);
            return t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Asserts the next texts, exactly and in order. */
    void expect(String... lines) {
        for (String line : lines) {
            assertThat(next()).as("after %s", seen).isEqualTo(line);
        }
    }

    /** Asserts that nothing else has arrived (so far). */
    void expectNothingMore() {
        assertThat(texts).as("unexpected texts after %s", seen).isEmpty();
    }

    /** @return the close code once the server closed the connection */
    int awaitClosed() {
        return closed.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(e -> null).join();
        }
    }

    private static final class Listener implements WebSocket.Listener {
        private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
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
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(1006);
        }
    }
}
