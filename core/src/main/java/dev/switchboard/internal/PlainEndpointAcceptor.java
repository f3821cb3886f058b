package dev.switchboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.Identity;
import dev.switchboard.PlainEndpoint;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.PathTemplate;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.spi.SessionHandler;
import dev.switchboard.spi.TransportSession;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plain endpoint of a node, as transports see it: authenticates with the endpoint's path variables,
 * opens plain connections on the node, and renders routed event frames into the endpoint's text form,
 * once per message (memoised on the shared {@link EncodedFrame}, keyed by this object).
 */
final class PlainEndpointAcceptor implements SessionAcceptor {
    private static final Logger log = LoggerFactory.getLogger(PlainEndpointAcceptor.class);

    private final PathTemplate path;
    private final PlainEndpoint endpoint;
    private final DefaultSwitchboard node;

    PlainEndpointAcceptor(PathTemplate path, PlainEndpoint endpoint, DefaultSwitchboard node) {
        this.path = path;
        this.endpoint = endpoint;
        this.node = node;
    }

    PlainEndpoint endpoint() {
        return endpoint;
    }

    PathTemplate path() {
        return path;
    }

    /** @return the path variables of a request, empty when the path does not match the template */
    Map<String, String> variables(Handshake handshake) {
        Map<String, String> v = path.variables(handshake.path());
        return v == null ? Map.of() : v;
    }

    @Override
    public Identity authenticate(Handshake handshake) {
        if (endpoint.authenticator() == null) {
            return node.authenticate(handshake);
        }
        return node.authenticate(handshake, () -> endpoint.authenticator().authenticate(handshake, variables(handshake)));
    }

    @Override
    public SessionHandler open(TransportSession session, Identity identity) {
        return node.openPlain(session, identity, this);
    }

    @Override
    public int maxFrameBytes() {
        return node.maxFrameBytes();
    }

    /** Plain clients speak no sub-protocol: transports negotiate none. */
    @Override
    public List<String> subProtocols() {
        return List.of();
    }

    /**
     * @param frame a protocol frame queued for one of this endpoint's connections
     * @return its text form for this endpoint, shared by every connection of the endpoint; {@code null}
     *     when the renderer sends nothing for it, or it is not an event frame
     */
    EncodedFrame textOf(EncodedFrame frame) {
        return frame.form(this, this::render);
    }

    private EncodedFrame render(EncodedFrame frame) {
        JsonNode root;
        try {
            root = node.mapper().readTree(frame.bytes());
        } catch (IOException e) {
            log.warn("Not sending a frame that is not JSON to plain endpoint {}", path);
            return null;
        }
        if (root == null || !"event".equals(root.path("type").asText())) {
            return null; // welcome, ping, replies and errors belong to the protocol only
        }
        String event = root.path("event").asText();
        JsonNode data = root.has("data") ? root.get("data") : NullNode.getInstance();
        String text;
        try {
            text = endpoint.renderer().render(event, data);
        } catch (RuntimeException e) {
            log.warn("Renderer of plain endpoint {} failed for event \"{}\"; not sent there", path, event, e);
            return null;
        }
        return text == null ? null : EncodedFrame.ofText(text);
    }

    @Override
    public String toString() {
        return "PlainEndpoint[" + path + "]";
    }
}
