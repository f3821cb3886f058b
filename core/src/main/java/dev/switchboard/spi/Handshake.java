package dev.switchboard.spi;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The HTTP upgrade request of a WebSocket connection, as a transport saw it. Immutable.
 *
 * @param path the request path, e.g. {@code /ws} or {@code /chat/alice}
 * @param query query parameters, each with all its values in order
 * @param headers request headers; look them up with {@link #header(String)} (case-insensitive)
 * @param subProtocols the sub-protocols the client offered, in its order of preference
 * @param remoteAddress the peer's address, or {@code null} when unknown
 */
public record Handshake(String path, Map<String, List<String>> query, Map<String, List<String>> headers,
                        List<String> subProtocols, InetSocketAddress remoteAddress) {

    /** Copies the collections; header names become case-insensitive. */
    public Handshake {
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        headers = java.util.Collections.unmodifiableMap(h);
        subProtocols = List.copyOf(subProtocols);
    }

    /**
     * @param name a header name, any case
     * @return its first value, or {@code null}
     */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * @param name a query parameter name
     * @return its first value, or {@code null}
     */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The prefix of the sub-protocol that carries a token: a browser offers
     * {@code ["switchboard.v1", "access_token.<token>"]} and keeps the token out of URLs and access logs.
     * The server never selects it.
     */
    public static final String TOKEN_PROTOCOL_PREFIX = "access_token.";

    /**
     * The credential the client presented: the token of an {@code Authorization: Bearer} header, else an
     * offered sub-protocol {@code access_token.<token>} ({@link #TOKEN_PROTOCOL_PREFIX}), else the
     * {@code access_token} query parameter (browsers cannot set headers on a WebSocket).
     *
     * @return the token, or {@code null} when none was presented
     */
    public String bearerToken() {
        String auth = header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        String fromProtocol = protocolToken();
        return fromProtocol != null ? fromProtocol : queryParam("access_token");
    }

    /** @return the token of an offered {@code access_token.<token>} sub-protocol, or {@code null} */
    public String protocolToken() {
        for (String p : subProtocols) {
            if (p.startsWith(TOKEN_PROTOCOL_PREFIX) && p.length() > TOKEN_PROTOCOL_PREFIX.length()) {
                return p.substring(TOKEN_PROTOCOL_PREFIX.length());
            }
        }
        return null;
    }

    /**
     * @param path the request path
     * @return a handshake with only a path, for tests and in-memory connections
     */
    public static Handshake of(String path) {
        return new Handshake(path, Map.of(), Map.of(), List.of(), null);
    }

    /** Never prints credentials: no headers, no query, and token sub-protocols as {@code access_token.***}. */
    @Override
    public String toString() {
        return "Handshake[" + path.toLowerCase(Locale.ROOT) + ", subProtocols="
                + subProtocols.stream().map(p -> p.startsWith(TOKEN_PROTOCOL_PREFIX) ? TOKEN_PROTOCOL_PREFIX + "***" : p)
                .toList() + "]";
    }
}
