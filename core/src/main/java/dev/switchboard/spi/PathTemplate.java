package dev.switchboard.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WebSocket endpoint path, plain ({@code /ws}) or a level-1 URI template whose variables take whole
 * segments ({@code /chat/{name}}), as Jakarta WebSocket defines them; matched against decoded request
 * paths. Immutable and thread-safe.
 *
 * <pre>{@code
 * PathTemplate chat = PathTemplate.of("/chat/{name}");
 * chat.variables("/chat/Alice");   // {name=Alice}
 * chat.variables("/other");        // null
 * }</pre>
 */
public final class PathTemplate {
    private static final Pattern VARIABLE = Pattern.compile("\\{([^/{}]+)}");

    private final String template;
    private final Pattern pattern;
    private final List<String> names;

    private PathTemplate(String template, Pattern pattern, List<String> names) {
        this.template = template;
        this.pattern = pattern;
        this.names = names;
    }

    /**
     * @param template a path starting with {@code /}, possibly with {@code {variable}} segments
     * @return the compiled template
     * @throws IllegalArgumentException when it does not start with {@code /} or names a variable twice
     */
    public static PathTemplate of(String template) {
        Objects.requireNonNull(template, "template");
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + template);
        }
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        // split with limit -1 keeps a trailing empty segment, so "/ws/" stays distinct from "/ws".
        for (String segment : template.substring(1).split("/", -1)) {
            regex.append('/');
            Matcher m = VARIABLE.matcher(segment);
            if (m.matches()) {
                if (names.contains(m.group(1))) {
                    throw new IllegalArgumentException("variable {" + m.group(1) + "} appears twice in " + template);
                }
                names.add(m.group(1));
                regex.append("([^/]+)");
            } else {
                regex.append(Pattern.quote(segment));
            }
        }
        return new PathTemplate(template, Pattern.compile(regex.toString()), List.copyOf(names));
    }

    /** @return true when the template has at least one variable */
    public boolean isTemplate() {
        return !names.isEmpty();
    }

    /** @return the variable names, in path order */
    public List<String> variableNames() {
        return names;
    }

    /**
     * @param path a decoded path within the servlet context
     * @return true when it matches
     */
    public boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    /**
     * @param path a decoded path within the servlet context
     * @return the value of each variable (in path order), or {@code null} when the path does not match
     */
    public Map<String, String> variables(String path) {
        Matcher m = pattern.matcher(Objects.requireNonNull(path, "path"));
        if (!m.matches()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), m.group(i + 1));
        }
        return Collections.unmodifiableMap(values);
    }

    /** @return the template as given */
    @Override
    public String toString() {
        return template;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathTemplate other && other.template.equals(template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }
}
