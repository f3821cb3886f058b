package dev.switchboard.backplane.mongo;

import dev.switchboard.mongodb.internal.MongoUris;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneFactory;

/**
 * Creates {@link MongoBackplane}s for {@code mongodb://} and {@code mongodb+srv://} URIs, so that
 * {@code --backplane mongodb://…} works with {@link dev.switchboard.backplane.Backplanes#fromUri}.
 * Registered in {@code META-INF/services/dev.switchboard.spi.BackplaneFactory}.
 */
public final class MongoBackplaneFactory implements BackplaneFactory {

    /** Used by the ServiceLoader. */
    public MongoBackplaneFactory() {
    }

    @Override
    public boolean supports(String uri) {
        return MongoUris.isMongoUri(uri);
    }

    /** @return a new, unstarted backplane; settings as in {@link MongoBackplaneOptions#fromUri(String)} */
    @Override
    public Backplane create(String uri) {
        return MongoBackplane.create(uri);
    }
}
