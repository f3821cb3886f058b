package dev.switchboard.auth.jwt.internal;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads string values from claims by dotted path ({@code realm_access.roles}). Stateless. */
public final class ClaimPaths {
    private ClaimPaths() {
    }

    /**
     * @param claims the token's claims (nested maps and lists as nimbus parses them)
     * @param paths dotted paths; a value may be a string, a space-separated string (for {@code scope}) or
     *     a list of strings
     * @param splitSpaces whether a string value holds several space-separated values
     * @return every string found under any of the paths, in order, without duplicates
     */
    public static Set<String> strings(Map<String, Object> claims, List<String> paths, boolean splitSpaces) {
        Set<String> out = new LinkedHashSet<>();
        for (String path : paths) {
            collect(at(claims, path), splitSpaces, out);
        }
        return out;
    }

    /** @return the value at a dotted path, or null */
    public static Object at(Map<String, Object> claims, String path) {
        Object v = claims.get(path); // a claim whose own name contains dots wins
        if (v != null) {
            return v;
        }
        Object current = claims;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(part);
        }
        return current;
    }

    private static void collect(Object v, boolean splitSpaces, Set<String> out) {
        if (v instanceof String s) {
            if (splitSpaces) {
                for (String part : s.trim().split("\\s+")) {
                    if (!part.isEmpty()) {
                        out.add(part);
                    }
                }
            } else if (!s.isEmpty()) {
                out.add(s);
            }
        } else if (v instanceof Collection<?> c) {
            for (Object o : c) {
                if (o instanceof String s && !s.isEmpty()) {
                    out.add(s);
                }
            }
        }
    }
}
