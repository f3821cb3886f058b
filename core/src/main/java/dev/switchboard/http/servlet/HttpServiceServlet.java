package dev.switchboard.http.servlet;

import dev.switchboard.http.HttpRequest;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.http.HttpService;
import dev.switchboard.transport.internal.Handshakes;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Mounts a transport-neutral {@link HttpService} — the emit API, the CloudEvents endpoint, or one of
 * the application's own — in any Jakarta Servlet 6 container (needs {@code jakarta.servlet-api}, which
 * core only compiles against). The Jetty transport and the Spring Boot starter mount their services with
 * it; in a host application's container:
 *
 * <pre>{@code
 * Map<String, HttpService> api = HttpApiOptions.builder().emitApi(keys).build().services(board);
 * api.forEach((path, service) ->
 *         servletContext.addServlet("switchboard" + path, new HttpServiceServlet(service)).addMapping(path));
 * }</pre>
 *
 * <p>Every method reaches the service (which answers 405 where it wants). The body is read up to the
 * service's {@link HttpService#maxBodyBytes()}: a body beyond it is marked
 * {@link HttpRequest#bodyTooLarge()}, and up to 2 MiB more of it are read and dropped so the client gets
 * the 413 rather than a reset connection (past that the connection closes after the answer). Query parameters come from the query
 * string only, never from a form body. Runs on the container's request thread, blocking while it reads
 * the body and while the service works, as servlets do; it never runs on an I/O selector thread.
 */
public final class HttpServiceServlet extends HttpServlet {
    private final transient HttpService service;

    /** @param service the service to mount */
    public HttpServiceServlet(HttpService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpResponse r = service.handle(toRequest(request, response, service.maxBodyBytes()));
        response.setStatus(r.status());
        response.setHeader("Cache-Control", "no-store");
        r.headers().forEach(response::setHeader);
        if (r.contentType() != null) {
            response.setContentType(r.contentType());
        }
        response.setContentLength(r.body().length);
        if (r.body().length > 0) {
            response.getOutputStream().write(r.body());
        }
    }

    /** The most bytes of an over-large body read and dropped before answering 413. */
    private static final long SWALLOW_BYTES = 2L * 1024 * 1024;

    private static HttpRequest toRequest(HttpServletRequest request, HttpServletResponse response, int max)
            throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        byte[] body;
        boolean tooLarge;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(max + 1);
            tooLarge = body.length > max;
            if (tooLarge) {
                body = new byte[0];
                // Swallow what the client is still sending (up to a bound), so that it reads the 413
                // instead of a connection reset; a larger body ends the connection after the answer.
                long skipped = 0;
                byte[] drop = new byte[8192];
                int n;
                while (skipped < SWALLOW_BYTES && (n = in.read(drop)) > 0) {
                    skipped += n;
                }
                if (skipped >= SWALLOW_BYTES) {
                    response.setHeader("Connection", "close");
                }
            }
        }
        return new HttpRequest(request.getMethod(), Handshakes.decodePath(request.getRequestURI()),
                query(request.getQueryString()), headers, body, tooLarge,
                Handshakes.remoteAddress(request.getRemoteAddr(), request.getRemotePort()));
    }

    private static Map<String, List<String>> query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape is kept as sent
        }
    }
}
