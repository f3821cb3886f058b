package dev.switchboard;

import dev.switchboard.spi.PlainAuthenticator;
import java.util.Objects;

/**
 * A plain WebSocket endpoint: clients that speak no Switchboard protocol — a browser page doing
 * {@code new WebSocket("ws://host/chat/Alice?age=20")}, {@code send(text)} and {@code onmessage} — send
 * and receive bare text frames. Mount one with {@link Switchboard#plainEndpoint(String, PlainEndpoint)};
 * the transport serves it beside the protocol endpoint.
 *
 * <pre>{@code
 * board.plainEndpoint("/chat/{name}", PlainEndpoint.builder()
 *     .authenticator((handshake, path) -> Identity.anonymous())    // the name is only a display name
 *     .onOpen(conn -> conn.join("room"))                            // path variables are in conn.attributes()
 *     .onText((conn, text) -> board.to(Audience.topic("room")).emit("chat.message",
 *         conn.attributes().get("name") + ": " + text))
 *     .onClose((conn, code, reason) -> board.to(Audience.topic("room")).emit("chat.message",
 *         conn.attributes().get("name") + " left the chat"))
 *     .build());
 * }</pre>
 *
 * <p>Its connections are ordinary {@link Connection}s: they join topics, match audiences on every node,
 * count in {@link Switchboard#connectionCount()} and cluster queries, and obey the node's limits
 * ({@code maxFrameBytes}: 1009, {@code rateLimit}: 1008, {@code maxQueuedBytes}: 1013). What differs:
 * <ul>
 *   <li>inbound text goes to {@link Builder#onText} as it is (no JSON, no events, no requests); a binary
 *       frame closes the connection with 1003;</li>
 *   <li>an event routed to the connection is sent as the text its {@link Builder#renderer} makes of it
 *       (rendered once per message and endpoint on each node, then shared), or not at all;</li>
 *   <li>no {@code welcome} frame; liveness is checked with WebSocket pings, which browsers answer by
 *       themselves, and a client silent for two heartbeat periods is closed with 4000;</li>
 *   <li>{@link Connection#request} fails at once with {@link UnsupportedOperationException}; the node's
 *       {@link Switchboard#onConnect}, {@link Switchboard#onDisconnect} and {@link Interceptor}s do not
 *       run for these connections: the endpoint's own callbacks do.</li>
 * </ul>
 * The values of the path template's variables are put in {@link Connection#attributes()} under their
 * names before {@code onOpen} runs; the query is in {@code conn.handshake().queryParam(...)}.
 *
 * <p>Immutable; build with {@link #builder()}.
 *
 * @param authenticator who a client is, with the path variables; {@code null} (the default) uses the
 *     node's {@link dev.switchboard.spi.Authenticator}, so an endpoint is never more open than the node
 *     unless it says so
 * @param onOpen runs once per connection, on a handler thread, before its first {@code onText}
 *     (default: nothing)
 * @param onText runs for every text frame, in order (default: the text is ignored)
 * @param onClose runs once after the connection closed, for whatever reason (default: nothing)
 * @param renderer what the connection receives for a routed event (default {@link TextRenderer#data()}:
 *     string data as it is, other data as JSON, {@code null} not at all)
 */
public record PlainEndpoint(PlainAuthenticator authenticator, ConnectHandler onOpen, TextHandler onText,
                            DisconnectHandler onClose, TextRenderer renderer) {

    /** Validates: every component but the authenticator is required. */
    public PlainEndpoint {
        Objects.requireNonNull(onOpen, "onOpen");
        Objects.requireNonNull(onText, "onText");
        Objects.requireNonNull(onClose, "onClose");
        Objects.requireNonNull(renderer, "renderer");
    }

    /** @return a builder with the defaults listed on the record */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link PlainEndpoint}. Not thread-safe. */
    public static final class Builder {
        private PlainAuthenticator authenticator;
        private ConnectHandler onOpen = conn -> { };
        private TextHandler onText = (conn, text) -> { };
        private DisconnectHandler onClose = (conn, code, reason) -> { };
        private TextRenderer renderer = TextRenderer.data();

        private Builder() {
        }

        /** @param v who a client is (default: the node's authenticator) @return this */
        public Builder authenticator(PlainAuthenticator v) {
            authenticator = Objects.requireNonNull(v, "authenticator");
            return this;
        }

        /** @param v called for every new connection (default: nothing) @return this */
        public Builder onOpen(ConnectHandler v) {
            onOpen = Objects.requireNonNull(v, "onOpen");
            return this;
        }

        /** @param v called for every text frame (default: ignored) @return this */
        public Builder onText(TextHandler v) {
            onText = Objects.requireNonNull(v, "onText");
            return this;
        }

        /** @param v called once for every closed connection (default: nothing) @return this */
        public Builder onClose(DisconnectHandler v) {
            onClose = Objects.requireNonNull(v, "onClose");
            return this;
        }

        /** @param v the text sent for a routed event (default {@link TextRenderer#data()}) @return this */
        public Builder renderer(TextRenderer v) {
            renderer = Objects.requireNonNull(v, "renderer");
            return this;
        }

        /** @return the endpoint */
        public PlainEndpoint build() {
            return new PlainEndpoint(authenticator, onOpen, onText, onClose, renderer);
        }
    }
}
