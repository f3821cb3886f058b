package dev.switchboard.backplane.redis.internal;

import dev.switchboard.backplane.redis.RedisBackplaneOptions;
import dev.switchboard.backplane.redis.RedisPubSubMode;
import dev.switchboard.backplane.redis.RedisTopology;
import dev.switchboard.spi.UriQuery;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the backplane's URIs by hand: {@link java.net.URI} rejects the comma-separated host lists of
 * Sentinel and Cluster URIs, and Lettuce's own parser would silently ignore our options.
 */
public final class RedisUris {
    private static final Map<String, RedisTopology> SCHEMES = Map.of(
            "redis", RedisTopology.STANDALONE, "rediss", RedisTopology.STANDALONE,
            "redis-sentinel", RedisTopology.SENTINEL, "rediss-sentinel", RedisTopology.SENTINEL,
            "redis-cluster", RedisTopology.CLUSTER, "rediss-cluster", RedisTopology.CLUSTER);

    private RedisUris() {
    }

    /** @param uri a URI @return true when its scheme is one of the backplane's */
    public static boolean supports(String uri) {
        int i = uri.indexOf("://");
        return i > 0 && SCHEMES.containsKey(uri.substring(0, i).toLowerCase(Locale.ROOT));
    }

    /**
     * @param uri the URI
     * @param b the builder to set the URI's parts and Redis options on
     * @return the query parameters that are not the Redis backplane's own (the shared ones, or unknown)
     * @throws IllegalArgumentException when the URI is malformed or an option's value is
     */
    public static UriQuery apply(String uri, RedisBackplaneOptions.Builder b) {
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd < 0) {
            throw bad(uri, "no scheme");
        }
        String scheme = uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        RedisTopology topology = SCHEMES.get(scheme);
        if (topology == null) {
            throw bad(uri, "unknown scheme " + scheme + " (redis, rediss, redis-sentinel, redis-cluster, ...)");
        }
        String rest = uri.substring(schemeEnd + 3);
        String fragment = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            fragment = decode(rest.substring(hash + 1));
            rest = rest.substring(0, hash);
        }
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String path = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        int at = rest.lastIndexOf('@');
        String username = null;
        String password = null;
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                password = decode(userInfo);
            } else {
                username = colon == 0 ? null : decode(userInfo.substring(0, colon));
                password = decode(userInfo.substring(colon + 1));
            }
        }
        int defaultPort = topology == RedisTopology.SENTINEL ? 26379 : 6379;
        List<String> hosts = new ArrayList<>();
        for (String h : rest.split(",")) {
            if (h.isBlank()) {
                throw bad(uri, "empty host");
            }
            hosts.add(withPort(h.trim(), defaultPort));
        }
        b.topology(topology).hosts(hosts).tls(scheme.startsWith("rediss")).username(username).password(password)
                .database(0).sentinelMasterId(fragment == null || fragment.isEmpty() ? null : fragment);
        if (!path.isEmpty()) {
            b.database(parseInt(path, "database"));
        }
        UriQuery params = UriQuery.parse(query);
        params.take("pubSubMode").ifPresent(v -> b.pubSubMode(enumValue(v)));
        params.take("sentinelMasterId").ifPresent(b::sentinelMasterId);
        params.take("database").ifPresent(v -> b.database(parseInt(v, "database")));
        params.take("connectTimeout").ifPresent(v -> b.connectTimeout(duration(v, "connectTimeout")));
        params.take("commandTimeout").ifPresent(v -> b.commandTimeout(duration(v, "commandTimeout")));
        params.take("publishTimeout").ifPresent(v -> b.publishTimeout(duration(v, "publishTimeout")));
        params.take("maxPendingCommands").ifPresent(v -> b.maxPendingCommands(parseInt(v, "maxPendingCommands")));
        params.take("historyTtl").ifPresent(v -> b.historyTtl(duration(v, "historyTtl")));
        return params;
    }

    private static RedisPubSubMode enumValue(String value) {
        try {
            return RedisPubSubMode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pubSubMode must be auto, classic or sharded: " + value, e);
        }
    }

    /**
     * @param value {@code 250ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d}, ISO-8601 ({@code PT2S}) or
     *     plain milliseconds
     * @param name the option, for the error message
     * @return the duration
     */
    static Duration duration(String value, String name) {
        return UriQuery.duration(name, value);
    }

    private static int parseInt(String value, String name) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: " + value, e);
        }
    }

    private static String withPort(String host, int defaultPort) {
        HostAndPort hp = parseHostAndPort(host, defaultPort);
        return hp.toString();
    }

    /**
     * @param hostAndPort {@code host:port} or {@code [v6]:port}
     * @return its parts
     * @throws IllegalArgumentException when it is malformed
     */
    public static HostAndPort parseHostAndPort(String hostAndPort) {
        return parseHostAndPort(hostAndPort, -1);
    }

    private static HostAndPort parseHostAndPort(String s, int defaultPort) {
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("malformed IPv6 host: " + s);
            }
            host = s.substring(1, close);
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("malformed host: " + s);
                }
                port = s.substring(close + 2);
            }
        } else {
            int colon = s.lastIndexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty() || host.contains(":") && !s.startsWith("[")) {
            throw new IllegalArgumentException("malformed host: " + s);
        }
        int p;
        if (port == null) {
            if (defaultPort < 0) {
                throw new IllegalArgumentException("host without a port: " + s);
            }
            p = defaultPort;
        } else {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed port in " + s, e);
            }
        }
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port out of range in " + s);
        }
        return new HostAndPort(host, p);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException bad(String uri, String why) {
        return new IllegalArgumentException("malformed Redis URI \""
                + dev.switchboard.backplane.Backplanes.redact(uri) + "\": " + why);
    }

    /**
     * A host and a port.
     *
     * @param host the host name or address (IPv6 without brackets)
     * @param port the port
     */
    public record HostAndPort(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
