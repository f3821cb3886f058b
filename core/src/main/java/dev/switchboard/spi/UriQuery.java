package dev.switchboard.spi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one binder of backplane URI query parameters: {@link BackplaneOptions#bind} takes the shared
 * options out of it, the module takes its own, and what is left is either the driver's business
 * (pgjdbc, the MongoDB connection string) or an error ({@link #requireEmpty}). Durations are written
 * {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}, plain milliseconds or ISO-8601 ({@code PT5M}); sizes as a number of
 * bytes or with {@code k}, {@code m}, {@code g} (binary) suffixes. Not thread-safe.
 */
public final class UriQuery {
    private static final Logger log = LoggerFactory.getLogger(UriQuery.class);
    private final Map<String, String> params = new LinkedHashMap<>();

    private UriQuery() {
    }

    /**
     * @param query the part after {@code ?} (without a {@code #fragment}), or null
     * @return its parameters, decoded, in order; a later repeat of a name wins
     */
    public static UriQuery parse(String query) {
        UriQuery q = new UriQuery();
        if (query == null || query.isEmpty()) {
            return q;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            q.params.put(name, value);
        }
        return q;
    }

    /** @param params decoded parameters, in order @return a query holding them */
    public static UriQuery of(Map<String, String> params) {
        UriQuery q = new UriQuery();
        q.params.putAll(params);
        return q;
    }

    /** @param uri a whole URI @return the parameters of its query */
    public static UriQuery ofUri(String uri) {
        String u = uri;
        int hash = u.indexOf('#');
        if (hash >= 0) {
            u = u.substring(0, hash);
        }
        int q = u.indexOf('?');
        return parse(q < 0 ? null : u.substring(q + 1));
    }

    private static String decode(String s) {
        // A literal plus stays a plus (passwords, prefixes); spaces are written %20.
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * Takes a parameter out of the query.
     *
     * @param name its name
     * @param aliases older names accepted too (a warning names the new one)
     * @return its value, or empty
     */
    public Optional<String> take(String name, String... aliases) {
        String v = params.remove(name);
        for (String alias : aliases) {
            String old = params.remove(alias);
            if (old != null) {
                log.warn("Backplane URI option \"{}\" is deprecated; use \"{}\"", alias, name);
                if (v == null) {
                    v = old;
                }
            }
        }
        return Optional.ofNullable(v);
    }

    /** @param name a name @param aliases older names @return the duration, or empty */
    public Optional<Duration> takeDuration(String name, String... aliases) {
        return take(name, aliases).map(v -> duration(name, v));
    }

    /** @param name a name @param aliases older names @return the integer, or empty */
    public Optional<Integer> takeInt(String name, String... aliases) {
        return take(name, aliases).map(v -> {
            long n = size(name, v);
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + " is too large: " + v);
            }
            return (int) n;
        });
    }

    /** @param name a name @param aliases older names @return the size in bytes (or count), or empty */
    public Optional<Long> takeSize(String name, String... aliases) {
        return take(name, aliases).map(v -> size(name, v));
    }

    /** @param name a name @param aliases older names @return {@code true}/{@code false}, or empty */
    public Optional<Boolean> takeBoolean(String name, String... aliases) {
        return take(name, aliases).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false: " + v);
        });
    }

    /** @return what no one took yet, in order */
    public Map<String, String> remaining() {
        return new LinkedHashMap<>(params);
    }

    /**
     * @param what the module, for the message
     * @throws IllegalArgumentException naming the parameters no one took
     */
    public void requireEmpty(String what) {
        if (!params.isEmpty()) {
            throw new IllegalArgumentException("unknown " + what + " option(s) " + params.keySet()
                    + " (see the shared options in docs/backplanes.md and the module's own page)");
        }
    }

    /**
     * @param name the option, for the message
     * @param text {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h} or ISO-8601
     * @return the duration
     */
    public static Duration duration(String name, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            char unit = t.charAt(t.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofMillis(Long.parseLong(t));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException("unknown unit");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " is not a duration (use 500ms, 10s, 5m, 1h or ISO-8601): "
                    + text, e);
        }
    }

    private static long size(String name, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
        try {
            int shift = 0;
            if (t.endsWith("b")) {
                t = t.substring(0, t.length() - 1);
            }
            switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                default -> { }
            }
            if (shift > 0) {
                t = t.substring(0, t.length() - 1);
            }
            long n = Long.parseLong(t);
            if (n < 0) {
                throw new IllegalArgumentException("negative");
            }
            return n << shift;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " is not a number (e.g. 10000, 64m): " + text, e);
        }
    }
}
