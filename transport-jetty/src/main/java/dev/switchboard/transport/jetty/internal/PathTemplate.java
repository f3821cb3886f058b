package dev.switchboard.transport.jetty.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Jakarta WebSocket endpoint path, plain ({@code /ws}) or a level-1 URI template whose variables take
 * whole segments ({@code /chat/{room}}), matched against decoded request paths. Immutable.
 */
public final class PathTemplate {
    private static final Pattern VARIABLE = Pattern.compile("\\{[^/{}]+}");

    private final String template;
    private final Pattern pattern;

    private PathTemplate(String template, Pattern pattern) {
        this.template = template;
        this.pattern = pattern;
    }

    /**
     * @param template a path starting with {@code /}, possibly with {@code {variable}} segments
     * @return the compiled template
     */
    public static PathTemplate of(String template) {
        Objects.requireNonNull(template, "template");
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + template);
        }
        StringBuilder regex = new StringBuilder();
        // split with limit -1 keeps a trailing empty segment, so "/ws/" stays distinct from "/ws".
        String[] segments = template.substring(1).split("/", -1);
        for (String segment : segments) {
            regex.append('/');
            regex.append(VARIABLE.matcher(segment).matches() ? "[^/]+" : Pattern.quote(segment));
        }
        return new PathTemplate(template, Pattern.compile(regex.toString()));
    }

    /** @return true when the template has at least one variable */
    public boolean isTemplate() {
        return template.contains("{");
    }

    /**
     * @param path a decoded path within the servlet context
     * @return true when it matches
     */
    public boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    @Override
    public String toString() {
        return template;
    }
}
