package dev.switchboard.transport.jetty.internal;

import dev.switchboard.spi.HandshakeRefusedException;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.transport.internal.PendingUpgrade;
import dev.switchboard.transport.internal.UpgradeGate;
import dev.switchboard.transport.jetty.SwitchboardEndpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.http.HttpException;

/**
 * The Jakarta configurator of the Switchboard endpoint: negotiates the sub-protocol, authenticates the
 * upgrade once and creates one {@link SwitchboardEndpoint} per connection. Called by the container on
 * its upgrade thread; thread-safe (it keeps no per-upgrade state of its own).
 */
public final class SwitchboardConfigurator extends ServerEndpointConfig.Configurator {
    private final UpgradeGate gate;

    /**
     * @param acceptor the core
     * @param path the endpoint path or URI template
     * @param allowedOrigins the browser origins that may connect when no filter checked them (see
     *     {@code OriginCheck}: empty for the same origin only)
     */
    public SwitchboardConfigurator(SessionAcceptor acceptor, String path, List<String> allowedOrigins) {
        this.gate = new UpgradeGate(Objects.requireNonNull(acceptor, "acceptor"), path, allowedOrigins);
    }

    /**
     * Picks the first protocol the client offered that the core speaks. A client that offered none (or
     * none we know) gets no {@code Sec-WebSocket-Protocol} header, since RFC 6455 forbids answering with
     * one it did not offer, and is spoken to in v1 all the same.
     */
    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        return gate.subProtocol(requested);
    }

    /** No {@code permessage-deflate}: every recipient gets the same pre-encoded bytes. */
    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        return List.of();
    }

    /**
     * Uses the upgrade {@code SwitchboardUpgradeFilter} already authenticated on this thread, or
     * authenticates now. A refusal here (no filter in front) becomes Jetty's {@link HttpException}, which
     * Jetty answers with that status before upgrading; other containers need the filter for a clean
     * 401/403.
     */
    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        PendingUpgrade upgrade = PendingUpgrade.take(JettyHandshakes.pathOf(request));
        if (upgrade == null) {
            try {
                upgrade = gate.admit(JettyHandshakes.fromJakarta(request, config.getUserProperties()));
            } catch (HandshakeRefusedException e) {
                throw new HttpException.RuntimeException(e.httpStatus(), e.getMessage());
            }
        }
        config.getUserProperties().put(PendingUpgrade.USER_PROPERTY, upgrade);
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(new SwitchboardEndpoint(gate.acceptor()));
    }
}
