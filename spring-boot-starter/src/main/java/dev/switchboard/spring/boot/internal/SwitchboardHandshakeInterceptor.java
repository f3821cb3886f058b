package dev.switchboard.spring.boot.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.Identity;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.HandshakeRefusedException;
import dev.switchboard.spi.SessionAcceptor;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;

/**
 * Decides an upgrade request before the container upgrades it: the origin check (Spring's, with the
 * configured origins and patterns; 403), then the core's {@link dev.switchboard.spi.Authenticator}
 * (401/403 with {@code WWW-Authenticate: Bearer} on 401), and 503 while the application shuts down.
 * Refusals carry the protocol's JSON error body {@code {"error":{"code","message"}}}.
 *
 * <p>Runs on the container's request thread, which the authenticator may briefly block.
 */
public final class SwitchboardHandshakeInterceptor implements HandshakeInterceptor {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardHandshakeInterceptor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SessionAcceptor acceptor;
    private final OpenSessions openSessions;
    private final OriginHandshakeInterceptor origins = new OriginHandshakeInterceptor();

    /**
     * @param acceptor the core
     * @param openSessions the endpoint's sessions (closing while the application shuts down)
     * @param allowedOrigins exact origins or patterns ({@code https://*.example.com}, {@code *}); empty: same
     *     origin only
     */
    public SwitchboardHandshakeInterceptor(SessionAcceptor acceptor, OpenSessions openSessions,
                                           List<String> allowedOrigins) {
        this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
        this.openSessions = Objects.requireNonNull(openSessions, "openSessions");
        origins.setAllowedOriginPatterns(allowedOrigins);
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
                                   Map<String, Object> attributes) throws Exception {
        if (!origins.beforeHandshake(request, response, wsHandler, attributes)) {
            refuse(response, HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN, "origin not allowed");
            return false;
        }
        if (openSessions.closing()) {
            refuse(response, HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE, "server shutting down");
            return false;
        }
        Handshake handshake = SpringHandshakes.from(request);
        Identity identity;
        try {
            identity = acceptor.authenticate(handshake);
        } catch (HandshakeRefusedException e) {
            // 401/403 from the authenticator; 429/503 from the limits or a draining node, with Retry-After
            if (e.httpStatus() == 401) {
                response.getHeaders().set("WWW-Authenticate", "Bearer");
            }
            if (e.retryAfter() != null) {
                response.getHeaders().set("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
            }
            refuse(response, HttpStatus.valueOf(e.httpStatus()), e.code(), e.getMessage());
            return false;
        }
        attributes.put(SwitchboardWebSocketHandler.HANDSHAKE, handshake);
        attributes.put(SwitchboardWebSocketHandler.IDENTITY, identity);
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
                               Exception exception) {
        // nothing to undo: the attributes die with a failed upgrade
    }

    private static void refuse(ServerHttpResponse response, HttpStatus status, ErrorCode code, String message)
            throws IOException {
        log.debug("Refused WebSocket upgrade: {} {}", status.value(), message);
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code.wire());
        error.put("message", message == null ? "" : message);
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setCacheControl("no-store");
        response.getBody().write(JSON.writeValueAsBytes(body));
    }
}
