package dev.switchboard.backplane.kafka;

import dev.switchboard.backplane.kafka.internal.KafkaUris;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneFactory;

/**
 * Lets {@link dev.switchboard.backplane.Backplanes#fromUri} create a {@link KafkaBackplane} from
 * {@code kafka://host:port[,host:port…]/?option=value…} (see {@link KafkaBackplaneOptions}). Registered in
 * {@code META-INF/services}.
 */
public final class KafkaBackplaneFactory implements BackplaneFactory {

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public KafkaBackplaneFactory() {
    }

    @Override
    public boolean supports(String uri) {
        return KafkaUris.supports(uri);
    }

    @Override
    public Backplane create(String uri) {
        return KafkaBackplane.create(uri);
    }
}
