package dev.switchboard.spi;

/**
 * Creates backplanes from a URI, so an application can pick its backplane by configuration
 * ({@code --backplane redis://127.0.0.1:6379}) with {@link dev.switchboard.backplane.Backplanes#fromUri}.
 * Backplane modules register an implementation in
 * {@code META-INF/services/dev.switchboard.spi.BackplaneFactory}.
 */
public interface BackplaneFactory {

    /** @param uri a backplane URI @return true if this factory creates backplanes for its scheme */
    boolean supports(String uri);

    /**
     * @param uri a URI {@link #supports} accepted, with the technology's options as query parameters
     * @return a new, unstarted backplane (one per node)
     * @throws IllegalArgumentException when the URI is malformed
     */
    Backplane create(String uri);
}
