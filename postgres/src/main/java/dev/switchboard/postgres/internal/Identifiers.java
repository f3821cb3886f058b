package dev.switchboard.postgres.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * SQL identifiers and notification channel names. Every identifier that reaches SQL text goes through
 * {@link #quote}; nothing a client sends ever does (clients' strings are bound as parameters).
 */
public final class Identifiers {
    /** Postgres truncates identifiers to NAMEDATALEN - 1 bytes. */
    public static final int MAX_BYTES = 63;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Identifiers() {
    }

    /**
     * @param name an identifier from configuration (schema, table, column, channel)
     * @return it as a quoted SQL identifier, {@code "name"}, with inner quotes doubled
     * @throws IllegalArgumentException when it is empty, too long or contains NUL
     */
    public static String quote(String name) {
        check(name, "identifier");
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** @param schema a schema @param table a table in it @return {@code "schema"."table"} */
    public static String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    /**
     * @param name a configured name
     * @param what what it names, for the message
     * @return the name
     * @throws IllegalArgumentException when it is not a usable identifier
     */
    public static String check(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must be non-empty without NUL: \"" + name + "\"");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_BYTES + " bytes: " + name);
        }
        return name;
    }

    /** @param name a name @return true for letters, digits and '_', not starting with a digit */
    public static boolean isPlain(String name) {
        return PLAIN.matcher(name).matches();
    }

    /**
     * A channel name for LISTEN and {@code pg_notify}: {@code prefix_suffix} with every character
     * outside {@code [A-Za-z0-9_]} replaced by {@code _}. When that changed the name or it would exceed
     * 63 bytes, a hash of the original suffix is appended (after truncating), so distinct suffixes keep
     * distinct channels.
     *
     * @param prefix a plain prefix (already validated)
     * @param suffix any text, e.g. a node id
     * @return the channel name, at most 63 bytes, plain characters only
     */
    public static String channel(String prefix, String suffix) {
        StringBuilder clean = new StringBuilder(suffix.length());
        for (int i = 0; i < suffix.length(); i++) {
            char c = suffix.charAt(i);
            boolean plain = c < 128 && (Character.isLetterOrDigit(c) || c == '_');
            clean.append(plain ? c : '_');
        }
        String name = prefix + "_" + clean;
        if (clean.toString().equals(suffix) && name.length() <= MAX_BYTES) {
            return name;
        }
        String hash = Integer.toHexString(suffix.hashCode() * 31 + suffix.length()).toLowerCase(Locale.ROOT);
        int keep = Math.min(name.length(), MAX_BYTES - hash.length() - 1);
        return name.substring(0, keep) + "_" + hash;
    }

    /**
     * @param base a table name
     * @param suffix a suffix for a derived object (sequence, index)
     * @return {@code base + suffix}, shortened with a hash when it would exceed 63 bytes
     */
    public static String derived(String base, String suffix) {
        String name = base + suffix;
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return name;
        }
        String hash = Integer.toHexString(base.hashCode());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < base.length(); i++) {
            String next = out.toString() + base.charAt(i);
            if ((next + "_" + hash + suffix).getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                break;
            }
            out.append(base.charAt(i));
        }
        return out + "_" + hash + suffix;
    }
}
