package dev.switchboard.transport.internal;

import dev.switchboard.Identity;
import dev.switchboard.protocol.WireError;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.HandshakeRefusedException;
import dev.switchboard.spi.PathTemplate;
import dev.switchboard.spi.SessionAcceptor;
import java.util.List;
import java.util.Objects;

/**
 * Every check a WebSocket upgrade passes before it is accepted, in ONE place that each way in calls:
 * the Jetty transport's {@code CoreEndpoint} (the embedded {@code JettyTransport}, on Jetty's WebSocket
 * core API), its {@code SwitchboardUpgradeFilter} and {@code SwitchboardConfigurator} (the Jakarta
 * endpoint mounted in a host container), and the Spring Boot starter's handshake interceptor. A check
 * added here — the allowed browser origins, then the core's own checks (its connection limits and the
 * authenticator, both behind {@link SessionAcceptor#authenticate}), the endpoint's path template and the
 * sub-protocol choice — therefore holds for every transport. Thread-safe; called on the
 * container's upgrade thread, which the authenticator may briefly block.
 */
public final class UpgradeGate {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UpgradeGate.class);

    private final SessionAcceptor acceptor;
    private final PathTemplate path;
    private final OriginCheck origins;

    /**
     * @param acceptor the core
     * @param path the endpoint path or URI template, e.g. {@code /ws} or {@code /chat/{room}}
     * @param allowedOrigins browser origins that may connect, exact or with {@code *} patterns, or
     *     {@code *} for any; empty allows the same origin only (see {@link OriginCheck})
     */
    public UpgradeGate(SessionAcceptor acceptor, String path, List<String> allowedOrigins) {
        this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
        this.path = PathTemplate.of(path);
        this.origins = OriginCheck.of(allowedOrigins);
    }

    /** @return the endpoint's path template */
    public PathTemplate path() {
        return path;
    }

    /** @return the origin rule this gate applies */
    public OriginCheck origins() {
        return origins;
    }

    /** @return the core this gate admits connections to */
    public SessionAcceptor acceptor() {
        return acceptor;
    }

    /**
     * @param decodedPath a decoded request path within the servlet context
     * @return true when it is this endpoint's
     */
    public boolean matches(String decodedPath) {
        return path.matches(decodedPath);
    }

    /**
     * Runs every check on an upgrade request, in order: the origin (403, before authentication), then the
     * core's connection limits and authenticator; blocks while the authenticator does.
     *
     * @param handshake the upgrade request
     * @return the admitted upgrade, with the identity the authenticator chose
     * @throws HandshakeRefusedException to refuse it before any upgrade: 403 for an origin not allowed,
     *     401/403 from the authenticator, 429/503 from the connection limits (with a retry delay)
     */
    public PendingUpgrade admit(Handshake handshake) {
        String origin = handshake.header("Origin");
        if (!origins.allows(origin, handshake.header("Host"))) {
            log.debug("Refused WebSocket upgrade from origin {}", WireError.quote(origin));
            throw AuthenticationException.forbidden("origin not allowed");
        }
        Identity identity = acceptor.authenticate(handshake);
        return new PendingUpgrade(handshake, identity);
    }

    /**
     * Picks the first sub-protocol the client offered that the core speaks. A client that offered none
     * (or none we know) gets no {@code Sec-WebSocket-Protocol} answer, since RFC 6455 forbids answering
     * with one it did not offer, and is spoken to in v1 all the same.
     *
     * @param offered the client's sub-protocols, in its order of preference
     * @return the chosen one, or {@code ""} for none
     */
    public String subProtocol(List<String> offered) {
        List<String> supported = acceptor.subProtocols();
        for (String p : offered) {
            if (supported.contains(p)) {
                return p;
            }
        }
        return "";
    }
}
