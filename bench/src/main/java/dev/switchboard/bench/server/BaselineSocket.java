package dev.switchboard.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One baseline connection. Requests are handled on the Jetty thread that read them — the cheapest
 * possible path — and {@code publish} writes one shared pre-encoded buffer to every member of the topic.
 * Whole text frames only (the generator never fragments).
 */
final class BaselineSocket implements FrameHandler {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BaselineServer server;
    private CoreSession session;

    BaselineSocket(BaselineServer server) {
        this.server = server;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        server.opened(coreSession);
        callback.succeeded();
        send("{\"type\":\"welcome\",\"connectionId\":\"" + server.nextConnectionId() + "\",\"node\":\""
                + BaselineServer.NODE + "\",\"heartbeatMs\":25000,\"maxFrameBytes\":65536}");
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        try {
            if (frame.getOpCode() == OpCode.TEXT && frame.isFin()) {
                handle(frame.getPayload());
            }
        } catch (IOException | RuntimeException e) {
            send("{\"type\":\"error\",\"error\":{\"code\":\"bad_request\",\"message\":\"bad frame\"}}");
        } finally {
            callback.succeeded();
            if (frame.getOpCode() != OpCode.CLOSE) {
                session.demand();
            }
        }
    }

    private void handle(ByteBuffer payload) throws IOException {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        JsonNode frame = MAPPER.readTree(bytes);
        if (!"request".equals(frame.path("type").asText())) {
            return; // pong and anything else: nothing to do
        }
        String id = frame.get("id").toString();
        JsonNode data = frame.get("data");
        switch (frame.path("event").asText()) {
            case "echo" -> reply(id, data == null ? "null" : data.toString());
            case "join" -> {
                server.join(data.path("topic").asText(), session);
                reply(id, "true");
            }
            case "publish" -> {
                String topic = data.path("topic").asText();
                String event = "{\"type\":\"event\",\"event\":\"msg\",\"topic\":" + MAPPER.writeValueAsString(topic)
                        + ",\"data\":" + MAPPER.writeValueAsString(data.get("payload")) + "}";
                ByteBuffer shared = ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8));
                for (CoreSession member : server.members(topic)) {
                    member.sendFrame(new Frame(OpCode.TEXT, true, shared.slice()), Callback.NOOP, false);
                }
                reply(id, "true");
            }
            case "stats" -> reply(id, MAPPER.writeValueAsString(
                    ServerStats.collect(server.connectionCount(), data != null && data.path("gc").asBoolean(false))));
            default -> send("{\"type\":\"reply\",\"id\":" + id
                    + ",\"error\":{\"code\":\"unknown_event\",\"message\":\"unknown event\"}}");
        }
    }

    private void reply(String id, String dataJson) {
        send("{\"type\":\"reply\",\"id\":" + id + ",\"data\":" + dataJson + "}");
    }

    private void send(String text) {
        session.sendFrame(new Frame(OpCode.TEXT, true, text), Callback.NOOP, false);
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        server.closed(session);
        callback.succeeded();
    }
}
