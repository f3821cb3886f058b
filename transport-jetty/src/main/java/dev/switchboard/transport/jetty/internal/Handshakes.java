package dev.switchboard.transport.jetty.internal;

import dev.switchboard.spi.Handshake;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.server.HandshakeRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the core's {@link Handshake} from what a servlet filter, a Jakarta configurator or Jetty's
 * WebSocket core sees. All
 * produce the same shape: the decoded path including the context path, decoded query parameters, every
 * header, the offered sub-protocols in the client's order, and the peer's address where known.
 */
public final class Handshakes {
    /** The user property in which Jetty's Jakarta implementation exposes the peer's address. */
    static final String REMOTE_ADDRESS_PROPERTY = "jakarta.websocket.endpoint.remoteAddress";
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9A-Fa-f:.%\\w]*:[0-9A-Fa-f:.%\\w]*]?");

    private Handshakes() {
    }

    /**
     * @param request an upgrade request seen by a servlet filter
     * @return its handshake
     */
    public static Handshake fromServlet(HttpServletRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> query.put(k, Arrays.asList(v)));
        return new Handshake(decodePath(request.getRequestURI()), query, headers, subProtocols(headers),
                remoteAddress(request.getRemoteAddr(), request.getRemotePort()));
    }

    /**
     * @param request an upgrade request seen by Jetty's WebSocket core ({@link CoreEndpoint})
     * @return its handshake, in the same shape as {@link #fromServlet}
     */
    static Handshake fromCore(org.eclipse.jetty.server.Request request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (org.eclipse.jetty.http.HttpField f : request.getHeaders()) {
            headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (org.eclipse.jetty.util.Fields.Field f : org.eclipse.jetty.server.Request.extractQueryParameters(request)) {
            query.put(f.getName(), f.getValues());
        }
        String path = request.getHttpURI().getDecodedPath();
        return new Handshake(path == null || path.isEmpty() ? "/" : path, query, headers, subProtocols(headers),
                remoteAddress(org.eclipse.jetty.server.Request.getRemoteAddr(request),
                        org.eclipse.jetty.server.Request.getRemotePort(request)));
    }

    /**
     * @param request the upgrade request seen by a configurator
     * @param userProperties the per-upgrade user properties (Jetty puts the peer's address there)
     * @return its handshake
     */
    static Handshake fromJakarta(HandshakeRequest request, Map<String, Object> userProperties) {
        Map<String, List<String>> headers = request.getHeaders();
        Map<String, List<String>> query = request.getParameterMap();
        Object remote = userProperties.get(REMOTE_ADDRESS_PROPERTY);
        return new Handshake(pathOf(request), query == null ? Map.of() : query,
                headers == null ? Map.of() : headers, subProtocols(headers),
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

    /**
     * @param rawPath a path as sent on the wire, possibly percent-encoded
     * @return the decoded path, or the raw one when it cannot be decoded
     */
    public static String decodePath(String rawPath) {
        try {
            String path = new URI(rawPath).getPath();
            return path == null || path.isEmpty() ? "/" : path;
        } catch (java.net.URISyntaxException e) {
            return rawPath;
        }
    }

    /** Parses {@code Sec-WebSocket-Protocol}, which may be repeated and comma-separated, in order. */
    private static List<String> subProtocols(Map<String, List<String>> headers) {
        List<String> result = new ArrayList<>();
        if (headers == null) {
            return result;
        }
        headers.forEach((name, values) -> {
            if ("Sec-WebSocket-Protocol".equalsIgnoreCase(name)) {
                for (String value : values) {
                    for (String token : value.split(",")) {
                        String p = token.trim();
                        if (!p.isEmpty()) {
                            result.add(p);
                        }
                    }
                }
            }
        });
        return result;
    }

    private static InetSocketAddress remoteAddress(String ip, int port) {
        if (ip == null || ip.isEmpty()) {
            return null;
        }
        int p = Math.max(port, 0);
        if (!IP_LITERAL.matcher(ip).matches()) {
            // A host name (e.g. from a proxy header): never resolve it on the upgrade thread.
            return InetSocketAddress.createUnresolved(ip, p);
        }
        try {
            // getByName does no DNS lookup for an IP literal.
            return new InetSocketAddress(InetAddress.getByName(ip), p);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return InetSocketAddress.createUnresolved(ip, p);
        }
    }
}
