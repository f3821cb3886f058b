package dev.switchboard.transport.jetty.internal;

import dev.switchboard.spi.Handshake;
import dev.switchboard.transport.internal.Handshakes;
import jakarta.websocket.server.HandshakeRequest;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Handshake} of an upgrade request as Jetty's WebSocket core or a Jakarta configurator sees
 * it, in the shape every transport produces ({@link Handshakes#of}).
 */
final class JettyHandshakes {
    /** The user property in which Jetty's Jakarta implementation exposes the peer's address. */
    static final String REMOTE_ADDRESS_PROPERTY = "jakarta.websocket.endpoint.remoteAddress";

    private JettyHandshakes() {
    }

    /**
     * @param request an upgrade request seen by Jetty's WebSocket core ({@link CoreEndpoint})
     * @return its handshake
     */
    static Handshake fromCore(org.eclipse.jetty.server.Request request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (org.eclipse.jetty.http.HttpField f : request.getHeaders()) {
            headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
        }
        if (headers.keySet().stream().noneMatch("Host"::equalsIgnoreCase) && request.getHttpURI().hasAuthority()) {
            // HTTP/2 carries the authority as a pseudo-header; the origin check compares against it.
            headers.put("Host", List.of(request.getHttpURI().getAuthority()));
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (org.eclipse.jetty.util.Fields.Field f : org.eclipse.jetty.server.Request.extractQueryParameters(request)) {
            query.put(f.getName(), f.getValues());
        }
        return Handshakes.of(request.getHttpURI().getDecodedPath(), query, headers,
                Handshakes.remoteAddress(org.eclipse.jetty.server.Request.getRemoteAddr(request),
                        org.eclipse.jetty.server.Request.getRemotePort(request)));
    }

    /**
     * @param request the upgrade request seen by a configurator
     * @param userProperties the per-upgrade user properties (Jetty puts the peer's address there)
     * @return its handshake
     */
    static Handshake fromJakarta(HandshakeRequest request, Map<String, Object> userProperties) {
        Object remote = userProperties.get(REMOTE_ADDRESS_PROPERTY);
        return Handshakes.of(pathOf(request), request.getParameterMap(), request.getHeaders(),
                remote instanceof InetSocketAddress a ? a : null);
    }

    /**
     * @param request the upgrade request seen by a configurator
     * @return its decoded path, as {@link #fromJakarta} reports it
     */
    static String pathOf(HandshakeRequest request) {
        String path = request.getRequestURI().getPath();
        return path == null || path.isEmpty() ? "/" : path;
    }
}
