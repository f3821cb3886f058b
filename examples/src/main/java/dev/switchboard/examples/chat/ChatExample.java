package dev.switchboard.examples.chat;

import dev.switchboard.Audience;
import dev.switchboard.Connection;
import dev.switchboard.Identity;
import dev.switchboard.Switchboard;
import dev.switchboard.backplane.Backplanes;
import dev.switchboard.examples.Settings;
import dev.switchboard.metrics.micrometer.PrometheusMetrics;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Handshake;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import io.micrometer.core.instrument.Tags;

/**
 * The classic WebSocket chat. The Switchboard page connects at {@code /ws?name=NAME&age=NN}; the
 * newcomer is greeted, everyone hears who joined and left, and every text is broadcast as
 * {@code NAME: TEXT}. Every message travels as event {@code chat.message} with a string as data;
 * clients send {@code chat.send} with the text. Plain WebSocket clients join the same room at
 * {@code /chat/{name}?age=NN} ({@link SeedChat}).
 */
public final class ChatExample implements AutoCloseable {
    /** The topic every chat member is in. */
    public static final String ROOM = "chat";
    /** The event carrying every chat line to clients. */
    public static final String MESSAGE = "chat.message";
    /** The Switchboard page's WebSocket path. */
    public static final String PATH = "/ws";

    private final Switchboard board;
    private final JettyTransport transport;
    private final PrometheusMetrics metrics;

    private ChatExample(Switchboard board, JettyTransport transport, PrometheusMetrics metrics) {
        this.board = board;
        this.transport = transport;
        this.metrics = metrics;
    }

    /**
     * @param port the HTTP port, 0 for any free one
     * @return the running example, on one node with no backplane server
     */
    public static ChatExample start(int port) {
        return start(Settings.local(port));
    }

    /**
     * @param settings the port and the backplane (instances sharing one backplane share one chat)
     * @return the running example
     */
    public static ChatExample start(Settings settings) {
        PrometheusMetrics metrics = PrometheusMetrics.create(Tags.of("app", "chat"));
        Switchboard board = Switchboard.builder()
                .eventListener(metrics.listener())
                .authenticator(ChatExample::identify)
                .backplane(Backplanes.fromUri(settings.backplane()))
                .build();
        metrics.monitor(board);
        board.onConnect(conn -> {
            conn.join(ROOM);
            conn.send(MESSAGE, "Hi " + name(conn) + "! You have successfully connected to the chat");
            board.to(Audience.topic(ROOM)).emit(MESSAGE, name(conn) + " with age " + age(conn) + " connected to chat");
        });
        board.on("chat.send", String.class, (conn, text) ->
                board.to(Audience.topic(ROOM)).emit(MESSAGE, name(conn) + ": " + text));
        board.onDisconnect((conn, code, reason) ->
                board.to(Audience.topic(ROOM)).emit(MESSAGE, name(conn) + " left the chat"));
        SeedChat.mount(board);
        JettyTransport transport = JettyTransport.start(board, JettyTransportOptions.builder()
                .port(settings.port())
                .path(PATH)
                .staticClasspath("chat")
                .metrics(metrics)
                .build());
        return new ChatExample(board, transport, metrics);
    }

    /** The chat's "authentication": the name and the age come from the query. */
    private static Identity identify(Handshake handshake) {
        String raw = handshake.queryParam("name");
        String name = raw == null ? "" : raw.trim();
        if (name.isEmpty() || name.length() > 40) {
            throw AuthenticationException.unauthorized("connect at /ws?name=… with a name of 1 to 40 characters");
        }
        String age = handshake.queryParam("age");
        return Identity.builder(name)
                .claims(java.util.Map.of("age", age == null || age.isBlank() ? "unknown" : age.trim()))
                .build();
    }

    private static String name(Connection conn) {
        return conn.identity().name();
    }

    private static Object age(Connection conn) {
        return conn.identity().claims().get("age");
    }

    /** @return the bound HTTP port */
    public int port() {
        return transport.port();
    }

    /** @return the node, for tests */
    public Switchboard board() {
        return board;
    }

    @Override
    public void close() {
        transport.close();
        board.close();
        metrics.close();
    }
}
