package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A real WebSocket client (the JDK's) that queues everything it receives and asserts with timeouts,
 * never sleeps. With {@link Builder#stalled()} it requests exactly one message and then never reads
 * again, like a consumer that stopped draining its socket. Server {@code ping} frames are answered with
 * {@code pong} and not recorded.
 */
final class RecordingClient implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Something that happened on the socket. */
    sealed interface Event permits Text, Binary, Closed, Failed { }

    record Text(String text) implements Event { }

    record Binary(int size) implements Event { }

    record Closed(int code, String reason) implements Event { }

    record Failed(Throwable cause) implements Event { }

    private final BlockingQueue<Event> events;
    private final CompletableFuture<Closed> closed;
    private final WebSocket socket;
    private final Listener listener;

    private RecordingClient(WebSocket socket, Listener listener) {
        this.socket = socket;
        this.listener = listener;
        this.events = listener.events;
        this.closed = listener.closed;
    }

    static Builder to(URI uri) {
        return new Builder(uri);
    }

    static RecordingClient connect(URI uri) {
        return to(uri).connect();
    }

    /** @return the sub-protocol the server accepted, "" for none */
    String subProtocol() {
        return socket.getSubprotocol();
    }

    /** @return the next event, failing after the timeout */
    Event next() {
        try {
            Event e = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                fail("no event within " + TIMEOUT);
            }
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** @param text a text frame @return it parsed as JSON */
    JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception x) {
            throw new AssertionError("not JSON: " + text, x);
        }
    }

    /** @return the next event, which must be a text frame, as it is (plain endpoints send bare text) */
    String nextText() {
        Event e = next();
        assertThat(e).isInstanceOf(Text.class);
        return ((Text) e).text();
    }

    /** @return how many WebSocket pings the server sent (the JDK client answers each with a pong) */
    int pings() {
        return listener.pings.get();
    }

    /** @return the next event, which must be a text frame, parsed as JSON */
    JsonNode nextFrame() {
        Event e = next();
        assertThat(e).isInstanceOf(Text.class);
        try {
            return MAPPER.readTree(((Text) e).text());
        } catch (Exception x) {
            throw new AssertionError("not JSON: " + e, x);
        }
    }

    /** @param type the expected {@code "type"} @return the next frame, which must have that type */
    JsonNode assertFrame(String type) {
        JsonNode frame = nextFrame();
        assertThat(frame.path("type").asText()).as("frame %s", frame).isEqualTo(type);
        return frame;
    }

    /** Skips text frames until the socket closes; asserts the close code. */
    Closed assertClosed(int code) {
        Closed c = awaitClose();
        assertThat(c.code()).as("close code (reason %s)", c.reason()).isEqualTo(code);
        return c;
    }

    Closed awaitClose() {
        try {
            return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not closed within " + TIMEOUT + "; events " + events);
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts that nothing else arrived. */
    void assertExhausted() {
        assertThat(events).isEmpty();
    }

    void send(String text) {
        join(listener.send(() -> socket.sendText(text, true)));
    }

    /** Sends one fragment of a text message; {@code last} ends the message. */
    void sendPart(String text, boolean last) {
        join(listener.send(() -> socket.sendText(text, last)));
    }

    void sendBinary(byte[] bytes) {
        join(listener.send(() -> socket.sendBinary(ByteBuffer.wrap(bytes), true)));
    }

    /** Lets a stalled client read again. */
    void request(long n) {
        socket.request(n);
    }

    /** Drops the TCP connection without a close frame. */
    void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private static void join(CompletableFuture<?> f) {
        try {
            f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Collects handshake settings. */
    static final class Builder {
        private final URI uri;
        private final WebSocket.Builder ws;
        private boolean stalled;
        private String[] subProtocols = new String[0];

        private Builder(URI uri) {
            this(uri, HttpClient.newHttpClient());
        }

        private Builder(URI uri, HttpClient client) {
            this.uri = uri;
            this.ws = client.newWebSocketBuilder().connectTimeout(TIMEOUT);
        }

        static Builder with(URI uri, HttpClient client) {
            return new Builder(uri, client);
        }

        Builder header(String name, String value) {
            ws.header(name, value);
            return this;
        }

        Builder subProtocols(String... protocols) {
            subProtocols = protocols;
            return this;
        }

        Builder stalled() {
            stalled = true;
            return this;
        }

        RecordingClient connect() {
            try {
                return connectAsync().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new AssertionError("connect to " + uri + " failed", e);
            }
        }

        /** @return the HTTP status of a refused handshake; fails if the upgrade succeeded */
        int refusedStatus() {
            try {
                RecordingClient c = connectAsync().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                c.close();
                throw new AssertionError("handshake was accepted");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WebSocketHandshakeException h) {
                    return h.getResponse().statusCode();
                }
                throw new AssertionError("unexpected failure", e);
            } catch (InterruptedException | TimeoutException e) {
                throw new AssertionError(e);
            }
        }

        private CompletableFuture<RecordingClient> connectAsync() {
            if (subProtocols.length > 0) {
                ws.subprotocols(subProtocols[0], List.of(subProtocols).subList(1, subProtocols.length).toArray(String[]::new));
            }
            Listener listener = new Listener(stalled);
            return ws.buildAsync(uri, listener).thenApply(socket -> new RecordingClient(socket, listener));
        }
    }

    /** Queues events; reassembles fragmented text. */
    private static final class Listener implements WebSocket.Listener {
        private final boolean stalled;
        private final StringBuilder text = new StringBuilder();
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final CompletableFuture<Closed> closed = new CompletableFuture<>();
        private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
        private int binary;
        private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

        Listener(boolean stalled) {
            this.stalled = stalled;
        }

        /** The JDK WebSocket allows one outstanding send: chain them (test thread and pongs). */
        synchronized CompletableFuture<?> send(Supplier<CompletableFuture<WebSocket>> write) {
            lastSend = lastSend.handle((r, e) -> null).thenCompose(x -> write.get());
            return lastSend;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            // A stalled consumer asks for one message and then never again.
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String t = text.toString();
                text.setLength(0);
                if (isPing(t)) {
                    // Behave like a real client: answer heartbeats instead of recording them.
                    send(() -> webSocket.sendText("{\"type\":\"pong\"}", true));
                } else {
                    events.add(new Text(t));
                }
            }
            if (!stalled) {
                webSocket.request(1);
            }
            return null;
        }

        private static boolean isPing(String text) {
            try {
                return text.length() < 64 && "ping".equals(MAPPER.readTree(text).path("type").asText());
            } catch (Exception e) {
                return false;
            }
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            binary += data.remaining();
            if (last) {
                int size = binary;
                binary = 0;
                events.add(new Binary(size));
            }
            if (!stalled) {
                webSocket.request(1);
            }
            return null;
        }

        /** Counts pings; the JDK client sends the pong by itself. */
        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.incrementAndGet();
            if (!stalled) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            Closed c = new Closed(statusCode, reason);
            events.add(c);
            closed.complete(c);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(new Failed(error));
            // An abnormal end is reported as 1006, as a browser would.
            closed.complete(new Closed(1006, String.valueOf(error)));
        }
    }

    @Override
    public String toString() {
        return "RecordingClient" + Map.of("events", events.size());
    }
}
