package dev.switchboard.spring.boot.internal;

import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.HandshakeRefusedException;
import dev.switchboard.transport.internal.Handshakes;
import dev.switchboard.transport.internal.OpenSessions;
import dev.switchboard.transport.internal.PendingUpgrade;
import dev.switchboard.transport.internal.Refusal;
import dev.switchboard.transport.internal.ServletHandshakes;
import dev.switchboard.transport.internal.UpgradeGate;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Decides an upgrade request before the container upgrades it, with the core's {@link UpgradeGate} — the
 * same checks as the Jetty transport, in the same order: the allowed origins (403), the node's connection
 * limits and authenticator (401/403/429/503, with {@code WWW-Authenticate: Bearer} on 401 and
 * {@code Retry-After} where advised); before them, 503 while the application shuts down. Refusals carry the
 * protocol's JSON error body {@code {"error":{"code","message"}}}.
 *
 * <p>Runs on the container's request thread, which the authenticator may briefly block.
 */
public final class SwitchboardHandshakeInterceptor implements HandshakeInterceptor {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardHandshakeInterceptor.class);

    private final UpgradeGate gate;
    private final OpenSessions<SpringTransportSession> openSessions;

    /**
     * @param gate the endpoint's checks (its acceptor, path template and allowed origins)
     * @param openSessions the sessions of every Switchboard endpoint (closing while the application shuts down)
     */
    public SwitchboardHandshakeInterceptor(UpgradeGate gate, OpenSessions<SpringTransportSession> openSessions) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.openSessions = Objects.requireNonNull(openSessions, "openSessions");
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
                                   Map<String, Object> attributes) throws IOException {
        Handshake handshake = handshakeOf(request);
        PendingUpgrade upgrade;
        try {
            if (openSessions.closing()) {
                throw HandshakeRefusedException.full("server shutting down");
            }
            upgrade = gate.admit(handshake);
        } catch (HandshakeRefusedException e) {
            refuse(response, e);
            return false;
        }
        attributes.put(SwitchboardWebSocketHandler.UPGRADE, upgrade);
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
                               Exception exception) {
        // nothing to undo: the attributes die with a failed upgrade
    }

    private static Handshake handshakeOf(ServerHttpRequest request) {
        if (request instanceof ServletServerHttpRequest servlet) {
            return ServletHandshakes.from(servlet.getServletRequest());
        }
        URI uri = request.getURI();
        Map<String, java.util.List<String>> query = new java.util.LinkedHashMap<>();
        UriComponentsBuilder.fromUri(uri).build(false).getQueryParams().forEach((k, v) -> query.put(
                org.springframework.web.util.UriUtils.decode(k, "UTF-8"),
                v.stream().map(s -> s == null ? "" : org.springframework.web.util.UriUtils.decode(s, "UTF-8")).toList()));
        Map<String, java.util.List<String>> headers = new java.util.LinkedHashMap<>();
        request.getHeaders().forEach((name, values) -> headers.put(name, java.util.List.copyOf(values)));
        return Handshakes.of(uri.getPath(), query, headers, request.getRemoteAddress());
    }

    private static void refuse(ServerHttpResponse response, HandshakeRefusedException e) throws IOException {
        log.debug("Refused WebSocket upgrade: {} {}", e.httpStatus(), e.getMessage());
        Refusal refusal = Refusal.of(e);
        response.setStatusCode(HttpStatusCode.valueOf(refusal.status()));
        refusal.headers().forEach(response.getHeaders()::set);
        response.getBody().write(refusal.body());
    }
}
