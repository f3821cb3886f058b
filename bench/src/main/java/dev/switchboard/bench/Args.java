package dev.switchboard.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The command-line options of the bench mains: {@code --name value} pairs. Every value read is
 * remembered, so {@link #requireAllUsed()} can refuse a misspelt option instead of ignoring it.
 */
public final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    /**
     * @param args {@code --name value} pairs
     * @throws IllegalArgumentException for a value without a name or a name without a value
     */
    public Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() < 3) {
                throw new IllegalArgumentException("expected --option, got " + a);
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                values.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < args.length) {
                values.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException(a + " needs a value");
            }
        }
    }

    /** @param name option name without dashes @param def default @return the value */
    public String string(String name, String def) {
        used.add(name);
        return values.getOrDefault(name, def);
    }

    /** @param name option name @param def default @return the value as an int */
    public int integer(String name, int def) {
        String v = string(name, null);
        try {
            return v == null ? def : Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer: " + v);
        }
    }

    /** @param name option name @param def default @return the value as a double */
    public double decimal(String name, double def) {
        String v = string(name, null);
        try {
            return v == null ? def : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number: " + v);
        }
    }

    /**
     * @param name option name
     * @param def default
     * @return the value as a duration: {@code 500ms}, {@code 10s}, {@code 2m}, or plain seconds
     */
    public Duration duration(String name, Duration def) {
        String v = string(name, null);
        return v == null ? def : parseDuration(name, v);
    }

    /** @param name option name @return true when given as {@code true} */
    public boolean flag(String name) {
        return Boolean.parseBoolean(string(name, "false"));
    }

    /** @throws IllegalArgumentException naming options that were given but never read */
    public void requireAllUsed() {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.removeAll(used);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", unknown));
        }
    }

    static Duration parseDuration(String name, String v) {
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a duration like 500ms, 10s or 2m: " + v);
        }
    }
}
