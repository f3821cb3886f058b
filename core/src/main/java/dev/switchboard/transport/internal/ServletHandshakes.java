package dev.switchboard.transport.internal;

import dev.switchboard.spi.Handshake;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Handshake} of an upgrade request as a servlet filter or a servlet-based framework sees it
 * (the Jetty transport's upgrade filter, the Spring Boot starter's handshake interceptor). Needs the
 * Jakarta Servlet API, which only servlet-based transports have. Not an API.
 */
public final class ServletHandshakes {

    private ServletHandshakes() {
    }

    /**
     * @param request an upgrade request
     * @return its handshake, in the shape of {@link Handshakes#of}
     */
    public static Handshake from(HttpServletRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> query.put(k, Arrays.asList(v)));
        return Handshakes.of(Handshakes.decodePath(request.getRequestURI()), query, headers,
                Handshakes.remoteAddress(request.getRemoteAddr(), request.getRemotePort()));
    }
}
