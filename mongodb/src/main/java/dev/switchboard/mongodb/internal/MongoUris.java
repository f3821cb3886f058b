package dev.switchboard.mongodb.internal;

import com.mongodb.ConnectionString;
import dev.switchboard.backplane.Backplanes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Splits a Switchboard MongoDB URI into the connection string the driver gets and the Switchboard
 * settings carried as query parameters named {@code switchboard…} (matched without regard to case, like
 * the driver's own options).
 */
public final class MongoUris {

    private MongoUris() {
    }

    /**
     * @param uri a URI
     * @return true for {@code mongodb://} and {@code mongodb+srv://}
     */
    public static boolean isMongoUri(String uri) {
        return uri != null && (uri.startsWith("mongodb://") || uri.startsWith("mongodb+srv://"));
    }

    /**
     * @param uri a {@code mongodb://} or {@code mongodb+srv://} URI
     * @return its parts
     * @throws IllegalArgumentException when it is not a MongoDB URI or the driver cannot parse it
     */
    public static Parsed parse(String uri) {
        if (!isMongoUri(uri)) {
            throw new IllegalArgumentException("not a mongodb:// or mongodb+srv:// URI: "
                    + (uri == null ? null : Backplanes.redact(uri)));
        }
        int q = uri.indexOf('?');
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> shared = new LinkedHashMap<>();
        List<String> kept = new ArrayList<>();
        if (q >= 0) {
            for (String pair : uri.substring(q + 1).split("[&;]")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                if (dev.switchboard.spi.BackplaneOptions.QUERY_NAMES.contains(key)) {
                    shared.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } else if (key.toLowerCase(Locale.ROOT).startsWith("switchboard")) {
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    settings.put(key.toLowerCase(Locale.ROOT), value);
                } else {
                    kept.add(pair);
                }
            }
        }
        String base = q < 0 ? uri : uri.substring(0, q);
        String cleaned = kept.isEmpty() ? base : base + "?" + String.join("&", kept);
        try {
            return new Parsed(cleaned, new ConnectionString(cleaned), settings, shared);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed MongoDB URI " + Backplanes.redact(uri) + ": "
                    + e.getMessage(), e);
        }
    }

    /** A parsed URI: the driver's connection string and Switchboard's settings. */
    public static final class Parsed {
        private final String connectionString;
        private final ConnectionString parsed;
        private final Map<String, String> settings;
        private final Map<String, String> unread;
        private final Map<String, String> shared;

        private Parsed(String connectionString, ConnectionString parsed, Map<String, String> settings,
                       Map<String, String> shared) {
            this.shared = shared;
            this.connectionString = connectionString;
            this.parsed = parsed;
            this.settings = settings;
            this.unread = new LinkedHashMap<>(settings);
        }

        /** @return the shared backplane options named in the query ({@code namespace}, ...) */
        public dev.switchboard.spi.UriQuery shared() {
            return dev.switchboard.spi.UriQuery.of(shared);
        }

        /** @return the connection string without Switchboard's settings */
        public String connectionString() {
            return connectionString;
        }

        /**
         * @param fallback the database when neither {@code switchboardDatabase} nor the URI's path names one
         * @return the database to use
         */
        public String database(String fallback) {
            Optional<String> setting = text("switchboardDatabase");
            if (setting.isPresent()) {
                return setting.get();
            }
            String db = parsed.getDatabase();
            return db == null || db.isBlank() ? fallback : db;
        }

        /** @param name a setting's name @return its value, if given and not blank */
        public Optional<String> text(String name) {
            String key = name.toLowerCase(Locale.ROOT);
            unread.remove(key);
            String v = settings.get(key);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        /**
         * @param name a setting's name
         * @return its value as a number, if given
         * @throws IllegalArgumentException when it is not a whole number
         */
        public Optional<Long> number(String name) {
            Optional<String> v = text(name);
            try {
                return v.map(Long::parseLong);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number: " + v.get(), e);
            }
        }

        /** @throws IllegalArgumentException naming a {@code switchboard…} setting nobody read (a typo) */
        public void requireNoOtherSettings() {
            if (!unread.isEmpty()) {
                throw new IllegalArgumentException("unknown setting(s) " + unread.keySet() + " in MongoDB URI "
                        + Backplanes.redact(connectionString));
            }
        }
    }
}
