package dev.switchboard.bench.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;

/**
 * The wire dialect a generator connection speaks, chosen by the endpoint's URL: Switchboard protocol v1,
 * or Engine.IO v4 / Socket.IO v5 over WebSocket for a URL whose path starts with {@code /socket.io/}
 * (e.g. {@code ws://127.0.0.1:8720/socket.io/?EIO=4&transport=websocket}). The bench protocol's requests
 * map to Socket.IO events with an acknowledgement: request {@code id, event, data} is
 * {@code 42<id>["event",data]}, its reply is the ack {@code 43<id>[data]}, a server event is
 * {@code 42["msg",data]}, the Socket.IO CONNECT answer {@code 40{..}} plays {@code welcome}, and the
 * Engine.IO ping {@code 2} is answered with pong {@code 3}. Frames are read as bytes, as in {@link Frames}.
 */
enum Dialect {
    /** Switchboard protocol v1 (and the bare-Jetty baseline, which speaks the same frames). */
    SWITCHBOARD {
        @Override
        Frames.Kind kind(ByteBuffer frame) {
            return Frames.kind(frame);
        }

        @Override
        String pong() {
            return "{\"type\":\"pong\"}";
        }

        @Override
        String request(long id, String event, String json) {
            return "{\"type\":\"request\",\"id\":" + id + ",\"event\":\"" + event + "\",\"data\":" + json + "}";
        }

        @Override
        long replyId(ByteBuffer frame) {
            return Frames.longField(frame, ID);
        }

        @Override
        JsonNode replyData(ByteBuffer frame) throws IOException {
            JsonNode reply = MAPPER.readTree(Frames.text(frame));
            if (reply.has("error")) {
                throw new IllegalStateException(reply.get("error").toString());
            }
            return reply.get("data");
        }
    },

    /** Engine.IO v4 / Socket.IO v5 over WebSocket, main namespace, text packets only. */
    SOCKET_IO {
        @Override
        Frames.Kind kind(ByteBuffer frame) {
            int p = frame.position();
            if (frame.remaining() == 0) {
                return Frames.Kind.OTHER;
            }
            byte engine = frame.get(p);
            if (engine == '0') {
                return Frames.Kind.OPEN;
            }
            if (engine == '2') {
                return Frames.Kind.PING;
            }
            if (engine != '4' || frame.remaining() < 2) {
                return Frames.Kind.OTHER;
            }
            return switch (frame.get(p + 1)) {
                case '0' -> Frames.Kind.WELCOME;
                case '2' -> Frames.Kind.EVENT;
                case '3' -> Frames.Kind.REPLY;
                case '4' -> Frames.Kind.ERROR;
                default -> Frames.Kind.OTHER;
            };
        }

        @Override
        String onOpen() {
            return "40"; // Socket.IO CONNECT to the main namespace
        }

        @Override
        String pong() {
            return "3";
        }

        @Override
        String request(long id, String event, String json) {
            return "42" + id + "[\"" + event + "\"," + json + "]";
        }

        @Override
        long replyId(ByteBuffer frame) {
            long v = 0;
            int digits = 0;
            for (int i = frame.position() + 2; i < frame.limit(); i++) {
                byte b = frame.get(i);
                if (b < '0' || b > '9') {
                    break;
                }
                v = v * 10 + (b - '0');
                digits++;
            }
            return digits == 0 ? Long.MIN_VALUE : v;
        }

        @Override
        JsonNode replyData(ByteBuffer frame) throws IOException {
            String text = Frames.text(frame);
            int open = text.indexOf('[');
            if (open < 0) {
                throw new IOException("ack without arguments: " + text);
            }
            JsonNode args = MAPPER.readTree(text.substring(open));
            JsonNode data = args.path(0);
            if (data.isObject() && data.has("error")) {
                throw new IllegalStateException(data.get("error").toString());
            }
            return data;
        }
    };

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] ID = Frames.key("id");

    /** @param uri an endpoint @return its dialect: Socket.IO for a path under {@code /socket.io/} */
    static Dialect of(URI uri) {
        String path = uri.getPath();
        return path != null && path.startsWith("/socket.io") ? SOCKET_IO : SWITCHBOARD;
    }

    /** @param frame one text frame @return its kind */
    abstract Frames.Kind kind(ByteBuffer frame);

    /** @return what to send when the transport-level open frame arrives, or null */
    String onOpen() {
        return null;
    }

    /** @return the answer to the server's ping */
    abstract String pong();

    /** @param id request id @param event the event @param json data as JSON text @return the frame */
    abstract String request(long id, String event, String json);

    /** @param frame a reply frame @return its request id, or {@link Long#MIN_VALUE} */
    abstract long replyId(ByteBuffer frame);

    /**
     * @param frame a reply frame
     * @return its data
     * @throws IOException when it is not JSON
     * @throws IllegalStateException with the error when it is an error reply
     */
    abstract JsonNode replyData(ByteBuffer frame) throws IOException;
}
