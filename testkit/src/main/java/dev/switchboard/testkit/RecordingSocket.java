package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real WebSocket client (the JDK's {@code java.net.http.WebSocket}) that records what a server sends: every
 * text message (whole, however fragmented) in a queue, the pings (the JDK answers each with a pong), and the
 * close code and reason. Assertions wait with a timeout; nothing sleeps. It speaks whatever the server does:
 * {@code switchboard.v1}, {@code cloudevents.json}, or plain text on a plain endpoint, as a browser's
 * {@code new WebSocket(url, protocols)} would.
 *
 * <pre>{@code
 * try (RecordingSocket s = RecordingSocket.connect(uri, Map.of("Authorization", "Bearer alice"), "switchboard.v1")) {
 *     s.send("{\"type\":\"ping\"}");
 *     assertThat(s.nextFrame().path("type").asText()).isEqualTo("pong");
 * }
 * }</pre>
 */
public final class RecordingSocket implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** How long assertions wait. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    /** A close the server (or the connection's end) reported. */
    public record Close(int code, String reason) { }

    /** How many of the texts read last an assertion's message shows. */
    private static final int SHOWN = 5;

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final BlockingQueue<Integer> pings = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final ArrayDeque<String> lastRead = new ArrayDeque<>(SHOWN);
    private final WebSocket socket;
    private int pingCount;

    private RecordingSocket(URI uri, Map<String, String> headers, List<String> subProtocols) {
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(b::header);
        if (!subProtocols.isEmpty()) {
            b.subprotocols(subProtocols.get(0), subProtocols.subList(1, subProtocols.size()).toArray(new String[0]));
        }
        try {
            socket = b.buildAsync(uri, new Listener()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("no WebSocket to " + uri, e);
        }
    }

    /**
     * Opens a WebSocket.
     *
     * @param uri the endpoint
     * @param headers request headers of the upgrade
     * @param subProtocols the sub-protocols offered, in preference order
     * @return the open socket
     * @throws IllegalStateException when the upgrade fails; for a refused upgrade (anything but 101) its cause is
     *     the JDK's {@code WebSocketHandshakeException}, whose status {@link #handshakeStatus} reads
     */
    public static RecordingSocket connect(URI uri, Map<String, String> headers, String... subProtocols) {
        return new RecordingSocket(uri, headers, List.of(subProtocols));
    }

    /**
     * Opens a WebSocket without extra headers, as a browser's {@code new WebSocket(uri, subProtocols)} does.
     *
     * @param uri the endpoint
     * @param subProtocols the sub-protocols offered, in preference order; none for a plain endpoint
     * @return the open socket
     * @throws IllegalStateException when the upgrade fails (see {@link #connect(URI, Map, String...)})
     */
    public static RecordingSocket connect(URI uri, String... subProtocols) {
        return connect(uri, Map.of(), subProtocols);
    }

    /**
     * @param failure what {@link #connect} threw
     * @return the HTTP status the server refused the upgrade with, or -1 when it was not a refused upgrade
     */
    public static int handshakeStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
        }
        return -1;
    }

    /** @return the sub-protocol the server chose, or "" */
    public String subProtocol() {
        return socket.getSubprotocol();
    }

    /** Sends one text message (whole). */
    public void send(String text) {
        join(socket.sendText(text, true));
    }

    /** Sends one text message in {@code parts} fragments. */
    public void sendFragmented(String text, int parts) {
        int step = Math.max(1, text.length() / parts);
        for (int from = 0; from < text.length(); from += step) {
            int to = Math.min(text.length(), from + step);
            join(socket.sendText(text.substring(from, to), to == text.length()));
        }
    }

    /** Sends one binary message. */
    public void sendBinary(byte[] bytes) {
        join(socket.sendBinary(ByteBuffer.wrap(bytes), true));
    }

    /** Starts the closing handshake. */
    public void sendClose(int code, String reason) {
        join(socket.sendClose(code, reason));
    }

    /** @return the next text message as JSON, waiting up to {@link #WAIT} */
    public JsonNode nextFrame() {
        String text = nextText();
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** @return the next text message, waiting up to {@link #WAIT} */
    public String nextText() {
        try {
            String text = texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (text == null) {
                throw new AssertionError("no message within " + WAIT + " after " + lastRead
                        + (closed.isDone() ? "; closed " + closed.join() : ""));
            }
            if (lastRead.size() == SHOWN) {
                lastRead.removeFirst();
            }
            lastRead.addLast(text);
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Asserts that no text message has arrived that was not read yet: after the expected ones, proves there
     * was no other (so far).
     */
    public void assertNoUnreadText() {
        String unread = texts.peek();
        if (unread != null) {
            throw new AssertionError("unexpected message " + unread + " after " + lastRead);
        }
    }

    /**
     * Waits for the server's {@code n}-th ping (counted from the upgrade), up to {@link #WAIT} for each.
     *
     * @param n how many pings
     */
    public void awaitPing(int n) {
        try {
            Integer seen;
            do {
                seen = pings.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (seen == null) {
                    throw new AssertionError("ping " + n + " not within " + WAIT
                            + (closed.isDone() ? "; closed " + closed.join() : ""));
                }
            } while (seen < n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** @return whether the server closed the connection (or it ended) */
    public boolean isClosed() {
        return closed.isDone();
    }

    /** @return the close the server sent (or the connection's end), waiting up to {@link #WAIT} */
    public Close awaitClose() {
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not closed within " + WAIT);
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.abort();
        }
    }

    private static void join(CompletableFuture<WebSocket> sent) {
        try {
            sent.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("send failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("send did not complete within " + WAIT, e);
        }
    }

    private final class Listener implements WebSocket.Listener {
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
            pings.add(++pingCount); // one listener call at a time
            webSocket.request(1);
            return null; // the JDK answers with a pong once this returns
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Close(1006, String.valueOf(error)));
        }
    }
}
