package dev.switchboard.http;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One HTTP request, as a server adapter read it: what an {@link HttpService} needs and nothing of any
 * server's API. Immutable. The adapter reads at most {@link HttpService#maxBodyBytes()} bytes of the
 * body; when the body was longer it sets {@code bodyTooLarge} and the service answers 413.
 *
 * @param method the method, upper case, e.g. {@code POST}
 * @param path the request path, e.g. {@code /api/emit} (percent-decoded; with the context path, if any)
 * @param query query parameters, each with all its values in order
 * @param headers request headers; look them up with {@link #header(String)} (case-insensitive)
 * @param body the body, possibly empty; {@code bodyTooLarge} says whether it is complete
 * @param bodyTooLarge true when the body exceeded the service's limit and was not read in full
 * @param remoteAddress the peer's address, or {@code null} when unknown
 */
public record HttpRequest(String method, String path, Map<String, List<String>> query,
                          Map<String, List<String>> headers, byte[] body, boolean bodyTooLarge,
                          InetSocketAddress remoteAddress) {

    /** Copies the collections; header names become case-insensitive; the method upper case. */
    public HttpRequest {
        method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        Objects.requireNonNull(path, "path");
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.merge(k, List.copyOf(v), (a, b) -> {
            List<String> all = new java.util.ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        }));
        headers = Collections.unmodifiableMap(h);
        body = Objects.requireNonNull(body, "body");
    }

    /**
     * @param name a header name, any case
     * @return its first value, or {@code null}
     */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** @return the {@code Content-Type} header, or {@code null} */
    public String contentType() {
        return header("Content-Type");
    }

    /**
     * @return the media type of the {@code Content-Type} header, lower case and without parameters
     *     ({@code application/json} for {@code Application/JSON; charset=utf-8}), or {@code null}
     */
    public String mediaType() {
        String ct = contentType();
        if (ct == null) {
            return null;
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * @return the token of an {@code Authorization: Bearer} header, or {@code null}
     */
    public String bearerToken() {
        String auth = header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = auth.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
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
     * @param method the method
     * @param path the path
     * @return a builder, for adapters and tests
     */
    public static Builder builder(String method, String path) {
        return new Builder(method, path);
    }

    @Override
    public String toString() {
        // Never print headers: they carry credentials.
        return "HttpRequest[" + method + " " + path + ", " + body.length + " bytes" + (bodyTooLarge ? " (too large)" : "")
                + "]";
    }

    /** Builds an {@link HttpRequest}. Not thread-safe. */
    public static final class Builder {
        private final String method;
        private final String path;
        private final Map<String, List<String>> query = new LinkedHashMap<>();
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];
        private boolean bodyTooLarge;
        private InetSocketAddress remoteAddress;

        private Builder(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** @param name a header @param value one more value @return this */
        public Builder header(String name, String value) {
            headers.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
            return this;
        }

        /** @param name a query parameter @param value one more value @return this */
        public Builder queryParam(String name, String value) {
            query.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
            return this;
        }

        /** @param v the body (not copied) @return this */
        public Builder body(byte[] v) {
            body = Objects.requireNonNull(v, "body");
            return this;
        }

        /** @param v the body as UTF-8 text @return this */
        public Builder body(String v) {
            return body(v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** @param v whether the body exceeded the service's limit @return this */
        public Builder bodyTooLarge(boolean v) {
            bodyTooLarge = v;
            return this;
        }

        /** @param v the peer's address @return this */
        public Builder remoteAddress(InetSocketAddress v) {
            remoteAddress = v;
            return this;
        }

        /** @return the request */
        public HttpRequest build() {
            return new HttpRequest(method, path, query, headers, body, bodyTooLarge, remoteAddress);
        }
    }
}
