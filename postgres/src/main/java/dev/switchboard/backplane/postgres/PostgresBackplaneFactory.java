package dev.switchboard.backplane.postgres;

import dev.switchboard.postgres.internal.PostgresUri;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneFactory;

/**
 * Makes {@code --backplane postgres://…} work through {@link dev.switchboard.backplane.Backplanes#fromUri}:
 * handles {@code postgres://}, {@code postgresql://} and {@code jdbc:postgresql:} URIs. Registered in
 * {@code META-INF/services/dev.switchboard.spi.BackplaneFactory}.
 */
public final class PostgresBackplaneFactory implements BackplaneFactory {

    /** Creates the factory (for the service loader). */
    public PostgresBackplaneFactory() {
    }

    @Override
    public boolean supports(String uri) {
        return PostgresUri.supports(uri);
    }

    @Override
    public Backplane create(String uri) {
        return PostgresBackplane.create(uri);
    }
}
