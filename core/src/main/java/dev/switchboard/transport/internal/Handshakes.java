package dev.switchboard.transport.internal;

import dev.switchboard.spi.Handshake;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the core's {@link Handshake} from what a transport sees of an upgrade request, in one shape
 * for every transport: the decoded path including the context path, decoded query parameters, every
 * header, the offered sub-protocols in the client's order, and the peer's address (never resolved
 * through DNS). Used by the transports; not an API.
 */
public final class Handshakes {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9A-Fa-f:.%\\w]*:[0-9A-Fa-f:.%\\w]*]?");

    private Handshakes() {
    }

    /**
     * @param decodedPath the decoded request path
     * @param query the decoded query parameters
     * @param headers every header, each with its values in order
     * @param remoteAddress the peer's address, or {@code null}
     * @return the handshake, its sub-protocols parsed from {@code Sec-WebSocket-Protocol}
     */
    public static Handshake of(String decodedPath, Map<String, List<String>> query, Map<String, List<String>> headers,
                               InetSocketAddress remoteAddress) {
        return new Handshake(decodedPath == null || decodedPath.isEmpty() ? "/" : decodedPath,
                query == null ? Map.of() : query, headers == null ? Map.of() : headers, subProtocols(headers),
                remoteAddress);
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

    /**
     * Parses {@code Sec-WebSocket-Protocol}, which may be repeated and comma-separated, in order.
     *
     * @param headers the request's headers, or {@code null}
     * @return the offered sub-protocols
     */
    public static List<String> subProtocols(Map<String, List<String>> headers) {
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

    /**
     * @param ip the peer's address as the container reports it
     * @param port the peer's port
     * @return the address, never resolved through DNS; {@code null} when unknown
     */
    public static InetSocketAddress remoteAddress(String ip, int port) {
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
