package dev.switchboard.testkit;

import dev.switchboard.CloseCodes;
import dev.switchboard.Identity;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.spi.Transport;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A transport without sockets, for fast tests of handlers and routing: each
 * {@link #connect(Handshake)} authenticates like a real handshake and returns an
 * {@link InMemoryClient} that sends raw frames and records what the server writes.
 *
 * <pre>{@code
 * InMemoryTransport transport = InMemoryTransport.attach(board);
 * InMemoryClient alice = transport.connect(Handshake.of("/ws"));
 * alice.send("{\"type\":\"emit\",\"event\":\"chat.send\",\"data\":\"hi\"}");
 * JsonNode frame = alice.nextFrame(Duration.ofSeconds(1));
 * }</pre>
 */
public final class InMemoryTransport implements Transport {
    private final Set<InMemoryClient> clients = ConcurrentHashMap.newKeySet();
    private volatile SessionAcceptor acceptor;

    /** Creates a transport; call {@link #start(SessionAcceptor)} before connecting. */
    public InMemoryTransport() {
    }

    /** @param acceptor the node @return a started transport */
    public static InMemoryTransport attach(SessionAcceptor acceptor) {
        InMemoryTransport t = new InMemoryTransport();
        t.start(acceptor);
        return t;
    }

    @Override
    public void start(SessionAcceptor acceptor) {
        this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
    }

    /**
     * Authenticates and opens a connection.
     *
     * @param handshake the simulated upgrade request
     * @return the connected client; its first frame is {@code welcome}
     * @throws dev.switchboard.spi.AuthenticationException when the authenticator refuses
     */
    public InMemoryClient connect(Handshake handshake) {
        SessionAcceptor a = Objects.requireNonNull(acceptor, "transport not started");
        Identity identity = a.authenticate(handshake);
        InMemoryClient client = new InMemoryClient(handshake, a.subProtocols(), clients::remove);
        clients.add(client);
        client.attach(a.open(client.session(), identity));
        return client;
    }

    /** @return a connection with path {@code /ws} */
    public InMemoryClient connect() {
        return connect(Handshake.of("/ws"));
    }

    /** @return the sub-protocols the node speaks */
    public List<String> subProtocols() {
        return acceptor.subProtocols();
    }

    @Override
    public void close() {
        for (InMemoryClient c : clients) {
            c.serverClosed(CloseCodes.GOING_AWAY, "transport closed");
        }
    }
}
