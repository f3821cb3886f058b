package dev.switchboard.postgres.internal;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Parses the URIs users configure, {@code postgres://user:pass@host:port/db?…},
 * {@code postgresql://…} (libpq's form) and {@code jdbc:postgresql://…}, into a pgjdbc endpoint plus
 * the Switchboard options found among the query parameters. Every other parameter ({@code sslmode},
 * {@code ApplicationName}, …) is passed on to pgjdbc unchanged.
 */
public final class PostgresUri {

    /**
     * What a URI says.
     *
     * @param endpoint the JDBC URL and credentials
     * @param options the Switchboard options named in the query (by their names in {@code optionNames})
     */
    public record Parsed(JdbcEndpoint endpoint, Map<String, String> options) { }

    private PostgresUri() {
    }

    /** @param uri any string @return true for the schemes this module handles */
    public static boolean supports(String uri) {
        if (uri == null) {
            return false;
        }
        String lower = uri.toLowerCase(Locale.ROOT);
        return lower.startsWith("postgres://") || lower.startsWith("postgresql://")
                || lower.startsWith("jdbc:postgresql:");
    }

    /**
     * @param uri a {@code postgres://}, {@code postgresql://} or {@code jdbc:postgresql:} URI
     * @param optionNames the query parameters that are Switchboard options, not driver properties
     * @return the endpoint (with {@code connectTimeout=10} and {@code ApplicationName=switchboard} unless
     *     given) and the options
     * @throws IllegalArgumentException when the URI is malformed
     */
    public static Parsed parse(String uri, Set<String> optionNames) {
        Objects.requireNonNull(uri, "uri");
        if (!supports(uri)) {
            throw new IllegalArgumentException("expected postgres://, postgresql:// or jdbc:postgresql: but got \""
                    + redact(uri) + "\"");
        }
        String rest;
        String user = null;
        String password = null;
        String base;
        if (uri.regionMatches(true, 0, "jdbc:", 0, 5)) {
            int q = uri.indexOf('?');
            base = q < 0 ? uri : uri.substring(0, q);
            rest = q < 0 ? "" : uri.substring(q + 1);
        } else {
            String afterScheme = uri.substring(uri.indexOf("://") + 3);
            int q = afterScheme.indexOf('?');
            String query = q < 0 ? "" : afterScheme.substring(q + 1);
            String path = q < 0 ? afterScheme : afterScheme.substring(0, q);
            int slash = path.indexOf('/');
            String authority = slash < 0 ? path : path.substring(0, slash);
            String database = slash < 0 ? "" : path.substring(slash + 1);
            int at = authority.lastIndexOf('@');
            String hosts = authority;
            if (at >= 0) {
                String userInfo = authority.substring(0, at);
                hosts = authority.substring(at + 1);
                int colon = userInfo.indexOf(':');
                user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
                password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
                if (user.isEmpty()) {
                    user = null;
                }
            }
            if (hosts.isEmpty()) {
                hosts = "localhost";
            }
            if (!hosts.matches("[A-Za-z0-9.\\-_:\\[\\],%]+")) {
                throw new IllegalArgumentException("bad host in \"" + redact(uri) + "\"");
            }
            if (database.contains("/")) {
                throw new IllegalArgumentException("bad database name in \"" + redact(uri) + "\"");
            }
            base = "jdbc:postgresql://" + hosts + "/" + encode(decode(database));
            rest = query;
        }
        Map<String, String> driver = new LinkedHashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (String pair : rest.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (optionNames.contains(key)) {
                options.put(key, value);
            } else if (key.equals("user")) {
                user = value;
            } else if (key.equals("password")) {
                password = value;
            } else {
                driver.put(key, value);
            }
        }
        driver.putIfAbsent("connectTimeout", "10");
        driver.putIfAbsent("ApplicationName", "switchboard");
        StringBuilder url = new StringBuilder(base);
        char sep = '?';
        for (Map.Entry<String, String> e : driver.entrySet()) {
            url.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        return new Parsed(new JdbcEndpoint(url.toString(), user, password), Map.copyOf(options));
    }

    /**
     * @param uri a {@code jdbc:postgresql:} URL (kept as is), a {@code postgres://} or
     *     {@code postgresql://} URI (converted, without options), or null
     * @return the {@code jdbc:postgresql:} URL, or null
     */
    public static String toJdbcUrl(String uri) {
        return uri == null || uri.startsWith("jdbc:") ? uri : parse(uri, Set.of()).endpoint().url();
    }

    /** @param uri a URI or JDBC URL @return it without its password (userinfo or parameter) */
    public static String redact(String uri) {
        return uri.replaceAll("(://[^:/@?]*:)[^@/?]*@", "$1****@")
                .replaceAll("(?i)([?&]password=)[^&]*", "$1****");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
