package dev.switchboard.backplane.redis;

import dev.switchboard.backplane.redis.internal.RedisUris;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneFactory;

/**
 * Lets {@link dev.switchboard.backplane.Backplanes#fromUri} create a {@link RedisBackplane} from
 * {@code redis://}, {@code rediss://}, {@code redis-sentinel://}, {@code rediss-sentinel://},
 * {@code redis-cluster://} and {@code rediss-cluster://} URIs (see {@link RedisBackplaneOptions} for the
 * forms and the query parameters). Registered in {@code META-INF/services}.
 */
public final class RedisBackplaneFactory implements BackplaneFactory {

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public RedisBackplaneFactory() {
    }

    @Override
    public boolean supports(String uri) {
        return uri != null && RedisUris.supports(uri);
    }

    @Override
    public Backplane create(String uri) {
        return RedisBackplane.create(uri);
    }
}
