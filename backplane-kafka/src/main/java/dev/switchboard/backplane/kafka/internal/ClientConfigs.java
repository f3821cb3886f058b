package dev.switchboard.backplane.kafka.internal;

import dev.switchboard.backplane.kafka.KafkaBackplaneOptions;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The Kafka client settings of the backplane's producers, consumers and admin client. */
public final class ClientConfigs {

    private ClientConfigs() {
    }

    private static Properties common(KafkaBackplaneOptions o, String clientId) {
        Properties p = new Properties();
        p.putAll(o.clientProperties());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
        p.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MS_CONFIG, Long.toString(o.reconnectDelayMin().toMillis()));
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, Long.toString(o.reconnectDelayMax().toMillis()));
        return p;
    }

    /**
     * The bus producer: acknowledged by the leader only, no retries beyond the publish timeout.
     *
     * @param o the options
     * @param clientId the client id
     * @param durable true for the history producer: acknowledged by every in-sync replica, not idempotent and
     *     never retried (a send that fails fails its append; no record is written twice). Not idempotent because
     *     a broker that lost its data hands out producer ids from 0 again: a producer made before the loss and
     *     one made after can hold the same id, and the broker then takes one's record for a duplicate of the
     *     other's and acknowledges it with the other's offset without writing it (found by the chaos soak: an
     *     acknowledged durable message in no log, its offset holding another message)
     * @return the settings
     */
    public static Properties producer(KafkaBackplaneOptions o, String clientId, boolean durable) {
        Properties p = common(o, clientId);
        long timeout = o.publishTimeout().toMillis();
        long linger = durable ? 0 : o.linger().toMillis();
        p.put(ProducerConfig.ACKS_CONFIG, durable ? "all" : "1");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        if (durable) {
            p.put(ProducerConfig.RETRIES_CONFIG, "0");
        }
        p.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1, timeout - linger)));
        // send() must not stall the caller for long when the broker is unreachable and metadata is missing.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.min(timeout, o.commandTimeout().toMillis())));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(o.maxMessageBytes()));
        if (!durable) {
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        }
        return p;
    }

    /**
     * A consumer without a group: it is assigned partitions and seeks itself.
     *
     * @param o the options
     * @param clientId the client id
     * @return the settings
     */
    public static Properties consumer(KafkaBackplaneOptions o, String clientId) {
        Properties p = common(o, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A log that came back shorter (recreated, truncated) is read from its end, as a new subscription.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(o.fetchMaxWait().toMillis()));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(Math.max(1 << 20, o.maxMessageBytes())));
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1000, o.commandTimeout().toMillis())));
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(o.commandTimeout().toMillis()));
        return p;
    }

    /**
     * @param o the options
     * @param clientId the client id
     * @return the admin client's settings
     */
    public static Properties admin(KafkaBackplaneOptions o, String clientId) {
        Properties p = common(o, clientId);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(o.commandTimeout().toMillis()));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(o.commandTimeout().toMillis()));
        return p;
    }
}
