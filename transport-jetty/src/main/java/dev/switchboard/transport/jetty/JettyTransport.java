package dev.switchboard.transport.jetty;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.spi.Transport;
import dev.switchboard.transport.internal.OpenSessions;
import dev.switchboard.transport.jetty.internal.CoreTransportSession;
import dev.switchboard.transport.jetty.internal.JettyServers;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Switchboard from an embedded Jetty 12.1 server: the WebSocket endpoint, the node's plain
 * WebSocket endpoints ({@link dev.switchboard.Switchboard#plainEndpoint}, mounted at start),
 * {@code GET /health}, static files and the JS client at {@code /switchboard.js}. The endpoints run on
 * Jetty's WebSocket core API (one small frame handler per connection, frames as buffers); the handshake
 * checks are the same as those of the Jakarta endpoint that {@link SwitchboardEndpointConfig} mounts in a
 * host's own container.
 *
 * <pre>{@code
 * Switchboard board = Switchboard.builder().build();
 * JettyTransport transport = JettyTransport.start(board, JettyTransportOptions.builder().port(8080).build());
 * // ws://localhost:8080/ws ... later:
 * transport.close();
 * board.close();
 * }</pre>
 *
 * <p>Lifecycle: {@code NEW} ({@link #create}) → {@code STARTED} ({@link #start(SessionAcceptor)}, once)
 * → {@code CLOSED} ({@link #close()}, idempotent; a closed transport cannot be restarted). All methods are
 * thread-safe. {@link #start(SessionAcceptor)} and {@link #close()} block while Jetty binds or stops;
 * nothing else blocks.
 */
public final class JettyTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(JettyTransport.class);

    private final JettyTransportOptions options;
    private final OpenSessions<CoreTransportSession> openSessions = new OpenSessions<>();
    private final Object lock = new Object();
    private Server server; // guarded by lock
    private boolean closed; // guarded by lock
    private volatile int port = -1;

    private JettyTransport(JettyTransportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @param options the settings
     * @return a transport that is not yet started; call {@link #start(SessionAcceptor)}
     */
    public static JettyTransport create(JettyTransportOptions options) {
        return new JettyTransport(options);
    }

    /**
     * Creates and starts a transport; blocks until the port is bound.
     *
     * @param acceptor the core, usually the {@link dev.switchboard.Switchboard} node
     * @param options the settings
     * @return the started transport
     * @throws SwitchboardException ({@code unavailable}) when the server cannot start, e.g. the port is taken
     */
    public static JettyTransport start(SessionAcceptor acceptor, JettyTransportOptions options) {
        JettyTransport transport = create(options);
        transport.start(acceptor);
        return transport;
    }

    /**
     * Starts serving; blocks until the port is bound.
     *
     * @param acceptor the core, usually the {@link dev.switchboard.Switchboard} node
     * @throws IllegalStateException when already started or closed
     * @throws IllegalArgumentException when a configured static root does not exist, or a plain endpoint
     *     takes the protocol endpoint's path
     * @throws SwitchboardException ({@code unavailable}) when the server cannot start, e.g. the port is taken
     */
    @Override
    public void start(SessionAcceptor acceptor) {
        Objects.requireNonNull(acceptor, "acceptor");
        synchronized (lock) {
            if (server != null || closed) {
                throw new IllegalStateException(closed ? "transport is closed" : "transport already started");
            }
            Server s = JettyServers.create(options, acceptor, mounts(acceptor), openSessions);
            try {
                s.start();
            } catch (Exception e) {
                stopQuietly(s);
                throw new SwitchboardException(ErrorCode.UNAVAILABLE,
                        "cannot start Jetty on " + options.host() + ":" + options.port(), e);
            }
            server = s;
            port = ((ServerConnector) s.getConnectors()[0]).getLocalPort();
        }
        log.info("Switchboard listening on {}", uri());
    }

    /** The protocol endpoint at {@code options.path()}, then the acceptor's plain endpoints. */
    private List<JettyServers.Mount> mounts(SessionAcceptor acceptor) {
        List<JettyServers.Mount> mounts = new ArrayList<>();
        mounts.add(new JettyServers.Mount(options.path(), acceptor));
        acceptor.plainEndpoints().forEach((path, plain) -> {
            if (path.equals(options.path())) {
                throw new IllegalArgumentException("plain endpoint " + path + " takes the protocol endpoint's path; "
                        + "give JettyTransportOptions.path another one");
            }
            mounts.add(new JettyServers.Mount(path, plain));
        });
        return mounts;
    }

    /**
     * @return the bound port (the free port chosen when the options said 0)
     * @throws IllegalStateException before {@link #start(SessionAcceptor)}
     */
    public int port() {
        int p = port;
        if (p < 0) {
            throw new IllegalStateException("transport not started");
        }
        return p;
    }

    /**
     * @return the WebSocket URI of the endpoint, e.g. {@code ws://localhost:8080/ws} ({@code wss} with TLS;
     *     {@code localhost} when bound to every interface). For a URI-template path the braces come
     *     percent-encoded; use {@link #uri(String)} with a concrete path instead
     * @throws IllegalStateException before {@link #start(SessionAcceptor)}
     */
    public URI uri() {
        return uri(options.path());
    }

    /**
     * @param path a concrete path, e.g. {@code /chat/lobby} for the template {@code /chat/{room}}
     * @return the WebSocket URI of that path on this server
     * @throws IllegalStateException before {@link #start(SessionAcceptor)}
     */
    public URI uri(String path) {
        return build(options.tls() ? "wss" : "ws", path);
    }

    /**
     * @return the HTTP base URI, e.g. {@code http://localhost:8080/} ({@code https} with TLS)
     * @throws IllegalStateException before {@link #start(SessionAcceptor)}
     */
    public URI httpUri() {
        return build(options.tls() ? "https" : "http", "/");
    }

    /** @return the options this transport was created with */
    public JettyTransportOptions options() {
        return options;
    }

    /**
     * Closes every open WebSocket with 1001, waits up to {@link JettyTransportOptions#stopTimeout()} for
     * the close handshakes, then stops Jetty. Idempotent; safe before or after
     * {@link dev.switchboard.Switchboard#close()}, which closes the same connections with 1001 too.
     */
    @Override
    public void close() {
        Server s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = server;
        }
        if (s == null) {
            return;
        }
        // Stop listening first: a client that reconnects at once must be refused (and try another
        // node), not accepted by a server that is about to drop it mid-handshake.
        for (org.eclipse.jetty.server.Connector c : s.getConnectors()) {
            if (c instanceof org.eclipse.jetty.server.NetworkConnector nc) {
                nc.close();
            }
        }
        int left = openSessions.closeAll("server shutting down", options.stopTimeout());
        if (left > 0) {
            log.debug("{} WebSocket(s) did not finish closing within {}; dropping them", left, options.stopTimeout());
        }
        stopQuietly(s);
        log.info("Switchboard stopped listening on port {}", port);
    }

    private URI build(String scheme, String path) {
        String host = options.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "localhost";
        }
        try {
            return new URI(scheme, null, host, port(), path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad path: " + path, e);
        }
    }

    private static void stopQuietly(Server s) {
        try {
            s.stop();
        } catch (Exception e) {
            log.warn("Jetty did not stop cleanly", e);
        }
    }

    @Override
    public String toString() {
        return "JettyTransport[" + options.host() + ":" + (port < 0 ? options.port() : port) + options.path() + "]";
    }
}
