package dev.switchboard.transport.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which browser origins may open a WebSocket — the one rule every Switchboard transport applies (the
 * Jetty transport, a host container's filter, the Spring Boot starter):
 * <ul>
 *   <li>a request without an {@code Origin} header is not a browser and is allowed: the check exists
 *       against cross-site WebSocket hijacking, which only browsers make possible;</li>
 *   <li>an empty list (the default) allows the <b>same origin</b> only: the {@code Origin}'s host and
 *       port must equal the request's {@code Host} header (a missing port counts as the default port of
 *       the origin's scheme, so {@code https://app.example.com} matches {@code Host: app.example.com}
 *       behind a TLS-terminating proxy that keeps the host);</li>
 *   <li>otherwise exact origins ({@code https://app.example.com}) and patterns where {@code *} stands for
 *       one or more host labels or a port ({@code https://*.example.com}, {@code http://localhost:*}),
 *       compared case-insensitively; the entry {@code *} alone allows every origin.</li>
 * </ul>
 * The origin {@code null} (sandboxed frames, files) is allowed only when listed. Immutable and thread-safe.
 */
public final class OriginCheck {
    private static final OriginCheck SAME_ORIGIN = new OriginCheck(List.of(), List.of(), false);
    private static final OriginCheck ANY = new OriginCheck(List.of("*"), List.of(), true);

    private final List<String> origins;
    private final List<Pattern> patterns;
    private final boolean any;

    private OriginCheck(List<String> origins, List<Pattern> patterns, boolean any) {
        this.origins = origins;
        this.patterns = patterns;
        this.any = any;
    }

    /**
     * @param allowed exact origins and patterns; {@code *} for any origin; empty for the same origin only
     * @return the check
     * @throws IllegalArgumentException for an entry that is not {@code *}, {@code null} or
     *     {@code scheme://host[:port]}
     */
    public static OriginCheck of(List<String> allowed) {
        if (allowed.isEmpty()) {
            return SAME_ORIGIN;
        }
        if (allowed.stream().anyMatch(o -> o.trim().equals("*"))) {
            return ANY;
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String raw : allowed) {
            String entry = raw.trim();
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
        return new OriginCheck(List.copyOf(allowed), List.copyOf(patterns), false);
    }

    /** @return true when every origin is allowed (the list holds {@code *}) */
    public boolean allowsAny() {
        return any;
    }

    /** @return true when only the same origin is allowed (no list was given) */
    public boolean sameOriginOnly() {
        return !any && patterns.isEmpty();
    }

    /**
     * @param origin the request's {@code Origin} header, or {@code null}
     * @param host the request's {@code Host} header (authority), or {@code null} when it had none
     * @return true when the upgrade may go on
     */
    public boolean allows(String origin, String host) {
        if (origin == null || any) {
            return true;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (patterns.isEmpty()) {
            return sameOrigin(o, host);
        }
        for (Pattern p : patterns) {
            if (p.matcher(o).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The origin's host and port against the Host header's; the origin's scheme gives missing ports. */
    private static boolean sameOrigin(String origin, String host) {
        int sep = origin.indexOf("://");
        if (host == null || host.isBlank() || sep < 1) {
            return false;
        }
        String scheme = origin.substring(0, sep);
        int defaultPort = switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
        if (defaultPort < 0) {
            return false;
        }
        String[] a = hostAndPort(origin.substring(sep + 3), defaultPort);
        String[] b = hostAndPort(host.trim().toLowerCase(Locale.ROOT), defaultPort);
        return a != null && b != null && a[0].equals(b[0]) && a[1].equals(b[1]);
    }

    /** @return {host, port} of an authority ({@code [::1]:8080}, {@code example.com}), or null when malformed */
    private static String[] hostAndPort(String authority, int defaultPort) {
        if (authority.isEmpty() || authority.contains("/") || authority.contains("@")) {
            return null;
        }
        int colon = authority.lastIndexOf(':');
        int bracket = authority.lastIndexOf(']');
        if (colon < 0 || colon < bracket) {
            return new String[] {authority, Integer.toString(defaultPort)};
        }
        String port = authority.substring(colon + 1);
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return new String[] {authority.substring(0, colon), Integer.toString(Integer.parseInt(port))};
    }

    /** @return the allowed origins as configured; empty for the same origin only */
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
            throw new IllegalArgumentException("an allowed origin is * or scheme://host[:port] (with * for labels or "
                    + "a port), e.g. https://app.example.com: " + entry);
        }
    }

    @Override
    public String toString() {
        return any ? "any origin" : patterns.isEmpty() ? "same origin" : origins.toString();
    }
}
