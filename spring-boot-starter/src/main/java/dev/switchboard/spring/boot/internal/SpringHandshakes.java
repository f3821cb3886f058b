package dev.switchboard.spring.boot.internal;

import dev.switchboard.spi.Handshake;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Builds the core's {@link Handshake} from Spring's view of an upgrade request, in the same shape as the
 * Jetty transport: the decoded path including the context path, decoded query parameters, every header,
 * the offered sub-protocols in the client's order, and the peer's address (never resolved by DNS).
 */
final class SpringHandshakes {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9A-Fa-f:.%\\w]*:[0-9A-Fa-f:.%\\w]*]?");

    private SpringHandshakes() {
    }

    static Handshake from(ServerHttpRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.getHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        Map<String, List<String>> query = new LinkedHashMap<>();
        String path;
        InetSocketAddress remote;
        if (request instanceof ServletServerHttpRequest servlet) {
            HttpServletRequest r = servlet.getServletRequest();
            path = decodePath(r.getRequestURI());
            r.getParameterMap().forEach((k, v) -> query.put(k, Arrays.asList(v)));
            remote = remoteAddress(r.getRemoteAddr(), r.getRemotePort());
        } else {
            URI uri = request.getURI();
            path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
            UriComponentsBuilder.fromUri(uri).build().getQueryParams().forEach((k, v) ->
                    query.put(UriUtils.decode(k, "UTF-8"), v.stream().map(s -> s == null ? "" : UriUtils.decode(s, "UTF-8")).toList()));
            remote = request.getRemoteAddress();
        }
        return new Handshake(path, query, headers, subProtocols(headers), remote);
    }

    private static String decodePath(String rawPath) {
        try {
            String path = new URI(rawPath).getPath();
            return path == null || path.isEmpty() ? "/" : path;
        } catch (URISyntaxException e) {
            return rawPath;
        }
    }

    /** Parses {@code Sec-WebSocket-Protocol}, which may be repeated and comma-separated, in order. */
    private static List<String> subProtocols(Map<String, List<String>> headers) {
        List<String> result = new ArrayList<>();
        headers.forEach((name, values) -> {
            if ("Sec-WebSocket-Protocol".equalsIgnoreCase(name)) {
                for (String value : values) {
                    for (String token : value.split(",")) {
                        if (!token.isBlank()) {
                            result.add(token.trim());
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
            return InetSocketAddress.createUnresolved(ip, p); // a host name: never resolve it on this thread
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), p); // no DNS lookup for an IP literal
        } catch (UnknownHostException | IllegalArgumentException e) {
            return InetSocketAddress.createUnresolved(ip, p);
        }
    }
}
