package dev.switchboard.backplane.nats;

import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneFactory;
import java.util.Locale;

/**
 * Lets {@link dev.switchboard.backplane.Backplanes#fromUri} create a {@link NatsBackplane} from a
 * {@code nats://} URI (see {@link NatsBackplaneOptions} for the form and the query parameters). Registered in
 * {@code META-INF/services}.
 */
public final class NatsBackplaneFactory implements BackplaneFactory {

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public NatsBackplaneFactory() {
    }

    @Override
    public boolean supports(String uri) {
        return uri != null && uri.toLowerCase(Locale.ROOT).startsWith("nats://");
    }

    @Override
    public Backplane create(String uri) {
        return NatsBackplane.create(uri);
    }
}
