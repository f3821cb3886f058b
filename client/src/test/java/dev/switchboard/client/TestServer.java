package dev.switchboard.client;

import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A real Switchboard node behind a real Jetty transport on a free port, for end-to-end tests. The
 * transport can be stopped and started again on the same port while the node lives on, which is how
 * a server restart looks to a client.
 */
final class TestServer implements AutoCloseable {
    private final Switchboard board;
    private final int port;
    private JettyTransport transport;

    private TestServer(Switchboard board) {
        this.board = board;
        this.transport = JettyTransport.start(board, options(0));
        this.port = transport.port();
    }

    /**
     * @param customise configures the node beyond the test defaults (token authenticator)
     * @return a started server
     */
    static TestServer start(Consumer<Switchboard.Builder> customise) {
        Switchboard.Builder b = Switchboard.builder().authenticator(new TokenAuthenticator())
                .options(SwitchboardOptions.builder().requestTimeout(Duration.ofSeconds(30)).build());
        customise.accept(b);
        return new TestServer(b.build());
    }

    static TestServer start() {
        return start(b -> { });
    }

    private static JettyTransportOptions options(int port) {
        return JettyTransportOptions.builder().host("127.0.0.1").port(port).stopTimeout(Duration.ofSeconds(1)).build();
    }

    Switchboard board() {
        return board;
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    /** @return client options for this server with the given token (or none), and quick reconnects */
    ClientOptions.Builder clientOptions(String token) {
        return ClientOptions.builder(uri()).token(token)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200), 2.0)
                .requestTimeout(Duration.ofSeconds(5));
    }

    /** Stops accepting and closes every connection with 1001; the node keeps running. */
    void stopTransport() {
        transport.close();
    }

    /** Serves the node again on the same port. */
    void restartTransport() {
        transport = JettyTransport.start(board, options(port));
    }

    @Override
    public void close() {
        transport.close();
        board.close();
    }
}
