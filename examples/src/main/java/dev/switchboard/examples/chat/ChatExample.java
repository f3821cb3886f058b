package dev.switchboard.examples.chat;

import dev.switchboard.Audience;
import dev.switchboard.Connection;
import dev.switchboard.ConnectionLimits;
import dev.switchboard.Switchboard;
import dev.switchboard.backplane.Backplanes;
import dev.switchboard.examples.Settings;
import dev.switchboard.examples.auth.DemoLogin;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;

/**
 * The classic WebSocket chat. A page signs in at {@code POST /demo/login} with a name and an age and
 * connects to {@code /ws} with the signed token it gets ({@link DemoLogin}); the newcomer is greeted,
 * everyone hears who joined and left, and every text is broadcast as {@code NAME: TEXT}. Every message
 * travels as event {@code chat.message} with a string as data; clients send {@code chat.send} with the
 * text. Who is speaking comes from the verified token, never from the URL; only pages of this server
 * (localhost, or {@code -DallowedOrigins}) may connect.
 */
public final class ChatExample implements AutoCloseable {
    /** The topic every chat member is in. */
    public static final String ROOM = "chat";
    /** The event carrying every chat line to clients. */
    public static final String MESSAGE = "chat.message";
    /** The WebSocket path of the Switchboard chat page. */
    public static final String PATH = "/ws";

    private final Switchboard board;
    private final JettyTransport transport;

    private ChatExample(Switchboard board, JettyTransport transport) {
        this.board = board;
        this.transport = transport;
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
        DemoLogin login = DemoLogin.create();
        Switchboard board = Switchboard.builder()
                .authenticator(login.authenticator())
                .connectionLimits(ConnectionLimits.builder().maxPerUser(10).maxPerAddress(200)
                        .handshakesPerSecondPerAddress(20).build())
                .backplane(Backplanes.fromUri(settings.backplane()))
                .build();
        board.onConnect(conn -> {
            conn.join(ROOM);
            conn.send(MESSAGE, "Hi " + name(conn) + "! You have successfully connected to the chat");
            board.to(Audience.topic(ROOM)).emit(MESSAGE, name(conn) + " with age " + age(conn) + " connected to chat");
        });
        board.on("chat.send", String.class, (conn, text) ->
                board.to(Audience.topic(ROOM)).emit(MESSAGE, name(conn) + ": " + text));
        board.onDisconnect((conn, code, reason) ->
                board.to(Audience.topic(ROOM)).emit(MESSAGE, name(conn) + " left the chat"));
        JettyTransport transport = JettyTransport.start(board, JettyTransportOptions.builder()
                .port(settings.port())
                .path(PATH)
                .staticClasspath("chat")
                .allowedOrigins(DemoLogin.allowedOrigins())
                .servlet(DemoLogin.PATH, login.servlet())
                .build());
        return new ChatExample(board, transport);
    }

    private static String name(Connection conn) {
        return conn.identity().name();
    }

    private static Object age(Connection conn) {
        return conn.identity().claims().getOrDefault("age", "unknown");
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
    }
}
