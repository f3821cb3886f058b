package dev.switchboard.backplane.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client connected to a node through core's in-memory transport, speaking protocol v1 frames:
 * requests with replies, subscriptions, and events read with timeouts (never sleeps). Events that
 * arrive while a reply is awaited are kept, in order, for {@link #nextEvent()}. Not thread-safe.
 */
public final class TestClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final InMemoryClient client;
    private final AtomicInteger ids = new AtomicInteger();
    private final Deque<JsonNode> early = new ArrayDeque<>();

    private TestClient(InMemoryClient client) {
        this.client = client;
    }

    /**
     * @param board the node (a {@code join} request handler is registered on it if missing)
     * @return a connected client, past its welcome frame
     */
    public static TestClient connect(Switchboard board) {
        board.onRequest("test.join", (conn, data) -> {
            conn.join(data.asText());
            return true;
        });
        TestClient c = new TestClient(InMemoryTransport.attach(board).connect());
        JsonNode welcome = c.client.nextFrame(TIMEOUT);
        if (!welcome.path("type").asText().equals("welcome")) {
            throw new AssertionError("expected welcome, got " + welcome);
        }
        return c;
    }

    /** @param topic a topic the server joins this connection to @return this */
    public TestClient join(String topic) {
        JsonNode reply = request("test.join", MAPPER.getNodeFactory().textNode(topic));
        if (!reply.path("data").asBoolean()) {
            throw new AssertionError("join failed: " + reply);
        }
        return this;
    }

    /** @param topic a topic to subscribe to (as a client would) @return the reply frame */
    public JsonNode subscribe(String topic) {
        int id = ids.incrementAndGet();
        client.send("{\"type\":\"subscribe\",\"id\":" + id + ",\"topic\":" + quote(topic) + "}");
        return reply(id);
    }

    /**
     * @param event the request's event
     * @param data its data
     * @return the reply frame ({@code data} or {@code error})
     */
    public JsonNode request(String event, JsonNode data) {
        int id = ids.incrementAndGet();
        client.send("{\"type\":\"request\",\"id\":" + id + ",\"event\":" + quote(event) + ",\"data\":" + data + "}");
        return reply(id);
    }

    private JsonNode reply(int id) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            JsonNode f = client.nextFrame(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (f.path("type").asText().equals("reply") && f.path("id").asInt() == id) {
                return f;
            }
            if (f.path("type").asText().equals("event")) {
                early.add(f);   // e.g. a change feed's event overtaking the reply of the write
            }
        }
    }

    /** @return the next event frame (pings skipped) @throws AssertionError when none comes in time */
    public JsonNode nextEvent() {
        return nextEvent(TIMEOUT);
    }

    /** @param timeout how long to wait @return the next event frame (pings skipped) */
    public JsonNode nextEvent(Duration timeout) {
        if (!early.isEmpty()) {
            return early.removeFirst();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode f = client.nextFrame(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (f.path("type").asText().equals("event")) {
                return f;
            }
        }
    }

    /** @return the next event frame already received, or null (pings skipped) */
    public JsonNode pollEvent() {
        if (!early.isEmpty()) {
            return early.removeFirst();
        }
        JsonNode f;
        while ((f = client.pollFrame()) != null) {
            if (f.path("type").asText().equals("event")) {
                return f;
            }
        }
        return null;
    }

    private static String quote(String s) {
        return MAPPER.getNodeFactory().textNode(s).toString();
    }

    @Override
    public void close() {
        client.close();
    }
}
