package dev.switchboard.transport.jetty.internal;

import dev.switchboard.Identity;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.PathTemplate;
import dev.switchboard.spi.SessionAcceptor;
import java.util.List;
import java.util.Objects;

/**
 * Every check a WebSocket upgrade passes before it is accepted, in ONE place that each way in calls:
 * {@link CoreEndpoint} (the embedded {@link dev.switchboard.transport.jetty.JettyTransport}, on Jetty's
 * WebSocket core API), {@link dev.switchboard.transport.jetty.SwitchboardUpgradeFilter} and
 * {@link SwitchboardConfigurator} (the Jakarta endpoint mounted in a host container). A check added
 * here — authentication, the endpoint's path template, sub-protocol choice, and whatever policy comes next
 * (origins, connection limits) — therefore holds for both transports. Thread-safe; called on the
 * container's upgrade thread, which the authenticator may briefly block.
 */
public final class UpgradeGate {
    private final SessionAcceptor acceptor;
    private final PathTemplate path;

    /**
     * @param acceptor the core
     * @param path the endpoint path or URI template, e.g. {@code /ws} or {@code /chat/{room}}
     */
    public UpgradeGate(SessionAcceptor acceptor, String path) {
        this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
        this.path = PathTemplate.of(path);
    }

    /** @return the endpoint's path template */
    public PathTemplate path() {
        return path;
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
     * Runs every check on an upgrade request; blocks while the authenticator does.
     *
     * @param handshake the upgrade request
     * @return the admitted upgrade, with the identity the authenticator chose
     * @throws AuthenticationException to refuse it (401 or 403, before any upgrade)
     */
    public PendingUpgrade admit(Handshake handshake) {
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
