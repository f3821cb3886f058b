package dev.switchboard.backplane;

import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Picks a backplane by URI, for applications configured from the command line or a file:
 * {@code none} or {@code local} is the single-node {@link LocalBackplane}; any other URI
 * ({@code redis://…}, {@code postgres://…}, {@code mongodb://…}) goes to the
 * {@link BackplaneFactory} on the class path that supports it.
 */
public final class Backplanes {

    private Backplanes() {
    }

    /**
     * @param uri {@code none}, {@code local} or a URI a backplane module understands
     * @return a new, unstarted backplane
     * @throws IllegalArgumentException when no module on the class path handles the URI
     */
    public static Backplane fromUri(String uri) {
        Objects.requireNonNull(uri, "uri");
        if (uri.isBlank() || uri.equals("none") || uri.equals("local")) {
            return new LocalBackplane();
        }
        List<String> known = new ArrayList<>(List.of("none"));
        for (BackplaneFactory f : ServiceLoader.load(BackplaneFactory.class)) {
            if (f.supports(uri)) {
                return f.create(uri);
            }
            known.add(f.getClass().getSimpleName());
        }
        throw new IllegalArgumentException("no backplane module on the class path handles \"" + redact(uri)
                + "\" (available: " + String.join(", ", known) + ")");
    }

    /** @param uri a URI @return it without a password, for messages and logs */
    public static String redact(String uri) {
        return uri.replaceAll("(://[^:/@]*:)[^@/]*@", "$1****@");
    }
}
