package dev.switchboard.examples.chat;

import dev.switchboard.Audience;
import dev.switchboard.Connection;
import dev.switchboard.ConnectionLimits;
import dev.switchboard.Switchboard;
import dev.switchboard.backplane.Backplanes;
import dev.switchboard.examples.Settings;
import dev.switchboard.examples.auth.DemoLogin;
import dev.switchboard.metrics.micrometer.PrometheusMetrics;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import io.micrometer.core.instrument.Tags;

/**
 * The classic WebSocket chat. The Switchboard page signs in at {@code POST /demo/login} with a name
 * and an age and connects to {@code /ws} with the signed token it gets ({@link DemoLogin}); the newcomer
 * is greeted, everyone hears who joined and left, and every text is broadcast as {@code NAME: TEXT}.
 * Every message travels as event {@code chat.message} with a string as data; clients send
 * {@code chat.send} with the text. Who is speaking comes from the verified token, never from the URL;
 * only pages of this server (localhost, or {@code -DallowedOrigins}) may connect. Plain WebSocket
 * clients join the same room at {@code /chat/{name}?age=NN} ({@link SeedChat}), where the name is only
 * a display name.
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
        DemoLogin login = DemoLogin.create();
        PrometheusMetrics metrics = PrometheusMetrics.create(Tags.of("app", "chat"));
        Switchboard board = Switchboard.builder()
                .eventListener(metrics.listener())
                .authenticator(login.authenticator())
                .connectionLimits(ConnectionLimits.builder().maxPerUser(10).maxPerAddress(200)
                        .handshakesPerSecondPerAddress(20).build())
                .backplane(Backplanes.fromUri(settings.backplane()))
                .clusterTrust(Settings.clusterTrust())
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
                .allowedOrigins(DemoLogin.allowedOrigins())
                .servlet(DemoLogin.PATH, login.servlet())
                .build());
        return new ChatExample(board, transport, metrics);
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
        // Graceful, as on SIGTERM: refuse upgrades (503) and report DRAINING on /health, let requests in
        // flight finish (up to DRAIN_TIMEOUT_SECONDS, 10), close clients with 1012 so they move to another node;
        // then stop serving HTTP, and only then leave the cluster.
        board.drain(Settings.drainTimeout());
        transport.close();
        board.close();
        metrics.close();
    }
}
