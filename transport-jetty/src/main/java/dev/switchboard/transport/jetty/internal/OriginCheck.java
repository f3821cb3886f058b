package dev.switchboard.transport.jetty.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which browser origins may open a WebSocket: exact origins ({@code https://app.example.com}) and
 * patterns where {@code *} stands for one or more host labels or a port ({@code https://*.example.com},
 * {@code http://localhost:*}). Compared case-insensitively. An empty list allows every origin. A request
 * without an {@code Origin} header (not a browser) is allowed: the check exists against cross-site
 * WebSocket hijacking, which only browsers make possible; the origin {@code null} (sandboxed frames,
 * files) is allowed only when listed. Immutable and thread-safe.
 */
public final class OriginCheck {
    private static final OriginCheck ANY = new OriginCheck(List.of(), List.of());
    private final List<String> origins;
    private final List<Pattern> patterns;

    private OriginCheck(List<String> origins, List<Pattern> patterns) {
        this.origins = origins;
        this.patterns = patterns;
    }

    /**
     * @param allowed exact origins and patterns; empty for any origin
     * @return the check
     * @throws IllegalArgumentException for an entry that is not {@code scheme://host[:port]}
     */
    public static OriginCheck of(List<String> allowed) {
        if (allowed.isEmpty()) {
            return ANY;
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String entry : allowed) {
            validate(entry);
            StringBuilder regex = new StringBuilder();
            String lower = entry.toLowerCase(Locale.ROOT);
            for (int i = 0; i < lower.length(); i++) {
                char ch = lower.charAt(i);
                if (ch == '*') {
                    boolean port = i > 0 && lower.charAt(i - 1) == ':';
                    regex.append(port ? "[0-9]{1,5}" : "[a-z0-9-]+(?:\\.[a-z0-9-]+)*");
                } else {
                    regex.append(Pattern.quote(String.valueOf(ch)));
                }
            }
            patterns.add(Pattern.compile(regex.toString()));
        }
        return new OriginCheck(List.copyOf(allowed), List.copyOf(patterns));
    }

    /** @return true when every origin is allowed (no list was given) */
    public boolean allowsAny() {
        return patterns.isEmpty();
    }

    /**
     * @param origin the request's {@code Origin} header, or {@code null}
     * @return true when the upgrade may go on
     */
    public boolean allows(String origin) {
        if (patterns.isEmpty() || origin == null) {
            return true;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        for (Pattern p : patterns) {
            if (p.matcher(o).matches()) {
                return true;
            }
        }
        return false;
    }

    /** @return the allowed origins as configured */
    public List<String> origins() {
        return origins;
    }

    private static void validate(String entry) {
        if (entry.equals("null")) {
            return;
        }
        int scheme = entry.indexOf("://");
        String rest = scheme < 1 ? "" : entry.substring(scheme + 3);
        if (scheme < 1 || rest.isEmpty() || rest.contains("/") || rest.contains("?") || rest.contains("#")) {
            throw new IllegalArgumentException("an allowed origin is scheme://host[:port] (with * for labels or "
                    + "a port), e.g. https://app.example.com: " + entry);
        }
    }

    @Override
    public String toString() {
        return patterns.isEmpty() ? "any origin" : origins.toString();
    }
}
