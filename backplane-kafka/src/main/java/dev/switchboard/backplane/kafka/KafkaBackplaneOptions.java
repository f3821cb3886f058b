package dev.switchboard.backplane.kafka;

import dev.switchboard.backplane.kafka.internal.KafkaUris;
import dev.switchboard.spi.BackplaneOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link KafkaBackplane}. Immutable and validated at construction; build one with
 * {@link #of(String)} or {@link #builder(String)}.
 *
 * <pre>{@code
 * KafkaBackplaneOptions.of("kafka://k1:9092,k2:9092/?topic=shop-bus&namespace=shop");
 * KafkaBackplaneOptions.builder("k1:9092").namespace("shop").linger(Duration.ZERO)
 *         .clientProperty("security.protocol", "SSL").build();
 * }</pre>
 *
 * <p>URI form: {@code kafka://host:port[,host:port…][/]?option=value&…}, where every builder property below and
 * every shared backplane option ({@link BackplaneOptions}: {@code namespace}, {@code livenessInterval},
 * {@code reconnectDelayMin}, …) is also a query parameter of the same name, and {@code kafka.<setting>=value}
 * passes a Kafka client setting through ({@code kafka.security.protocol=SASL_SSL}). An unknown parameter is an
 * error.
 *
 * @param bootstrapServers the Kafka bootstrap servers, {@code host:port[,host:port…]}
 * @param backplane the options every backplane shares; its {@code namespace} prefixes the Kafka topics this
 *     backplane derives (the bus topic's default name and the history topics), so several applications can
 *     share one Kafka cluster (default {@code switchboard})
 * @param topic the bus topic every node publishes to and reads (default {@code <namespace>-bus}); created with
 *     one partition when missing
 * @param replicationFactor the replication factor of topics the backplane creates; {@code -1} (default) takes
 *     the broker's {@code default.replication.factor}
 * @param linger how long the producer waits to batch a publish with the next ones ({@code linger.ms}, default
 *     1 ms): added to every message's latency under light load
 * @param fetchMaxWait the longest a fetch waits at the broker for data ({@code fetch.max.wait.ms}, default
 *     100 ms); a fetch returns as soon as a record arrives, so this is not added to a message's latency
 * @param publishTimeout how long a publish may wait for the broker's acknowledgement
 *     ({@code delivery.timeout.ms}, default 5 s); unacknowledged in time = dropped and counted
 * @param commandTimeout limit of a history call and of an admin call (default 5 s)
 * @param maxMessageBytes the largest message (producer {@code max.request.size} and the topics'
 *     {@code max.message.bytes}, default 8 MiB); larger publishes are dropped and counted
 * @param clientProperties Kafka client settings passed to the producers, the consumers and the admin client as
 *     they are (security, SASL, {@code client.id}…); they cannot change what the backplane sets itself
 *     (serializers, acknowledgements, offsets)
 */
public record KafkaBackplaneOptions(String bootstrapServers, BackplaneOptions backplane, String topic,
                                    short replicationFactor, Duration linger, Duration fetchMaxWait,
                                    Duration publishTimeout, Duration commandTimeout, int maxMessageBytes,
                                    Map<String, String> clientProperties) {

    /** Validates and copies. */
    public KafkaBackplaneOptions {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must name at least one host:port");
        }
        Objects.requireNonNull(backplane, "backplane");
        topic = topic == null ? backplane.namespace().replace(':', '.') + "-bus" : topic;
        if (!topic.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("topic must be 1-249 of a-z, A-Z, 0-9, '.', '_', '-': \"" + topic + "\"");
        }
        if (replicationFactor < -1 || replicationFactor == 0) {
            throw new IllegalArgumentException("replicationFactor must be -1 (the broker's default) or positive");
        }
        notNegative(linger, "linger");
        positive(fetchMaxWait, "fetchMaxWait");
        positive(publishTimeout, "publishTimeout");
        positive(commandTimeout, "commandTimeout");
        if (publishTimeout.compareTo(linger.plusSeconds(1)) < 0) {
            throw new IllegalArgumentException("publishTimeout must be at least linger + 1 s");
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024: " + maxMessageBytes);
        }
        clientProperties = Map.copyOf(Objects.requireNonNull(clientProperties, "clientProperties"));
    }

    private static void positive(Duration d, String name) {
        notNegative(d, name);
        if (d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static void notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }

    /**
     * @param uri {@code kafka://host:port[,host:port…]/?option=value…}
     * @return the options
     * @throws IllegalArgumentException when the URI is malformed or names an unknown option
     */
    public static KafkaBackplaneOptions of(String uri) {
        return KafkaUris.parse(uri).build();
    }

    /** @param bootstrapServers the Kafka bootstrap servers @return a builder with the defaults */
    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** @return the namespace of the shared options */
    public String namespace() {
        return backplane.namespace();
    }

    /** @return the first delay between connection attempts, from the shared options */
    public Duration reconnectDelayMin() {
        return backplane.reconnectDelayMin();
    }

    /** @return the longest delay between connection attempts, from the shared options */
    public Duration reconnectDelayMax() {
        return backplane.reconnectDelayMax();
    }

    /** @return the URI form of these options, without client properties (they may hold secrets) */
    @Override
    public String toString() {
        return "kafka://" + bootstrapServers + "/?topic=" + topic + "&namespace=" + backplane.namespace();
    }

    /** Builds {@link KafkaBackplaneOptions}. Not thread-safe. */
    public static final class Builder {
        private final String bootstrapServers;
        private BackplaneOptions backplane = BackplaneOptions.defaults();
        private String topic;
        private short replicationFactor = -1;
        private Duration linger = Duration.ofMillis(1);
        private Duration fetchMaxWait = Duration.ofMillis(100);
        private Duration publishTimeout = Duration.ofSeconds(5);
        private Duration commandTimeout = Duration.ofSeconds(5);
        private int maxMessageBytes = 8 << 20;
        private final Map<String, String> clientProperties = new LinkedHashMap<>();

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        /** @param v the options every backplane shares @return this */
        public Builder backplane(BackplaneOptions v) {
            backplane = Objects.requireNonNull(v, "backplane");
            return this;
        }

        /** @param v the namespace (a shortcut into the shared options) @return this */
        public Builder namespace(String v) {
            backplane = backplane.toBuilder().namespace(v).build();
            return this;
        }

        /** @param v the bus topic @return this */
        public Builder topic(String v) {
            topic = v;
            return this;
        }

        /** @param v replication factor of created topics, -1 for the broker's default @return this */
        public Builder replicationFactor(int v) {
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                throw new IllegalArgumentException("replicationFactor out of range: " + v);
            }
            replicationFactor = (short) v;
            return this;
        }

        /** @param v the producer's linger @return this */
        public Builder linger(Duration v) {
            linger = v;
            return this;
        }

        /** @param v the consumer's fetch wait @return this */
        public Builder fetchMaxWait(Duration v) {
            fetchMaxWait = v;
            return this;
        }

        /** @param v the publish timeout @return this */
        public Builder publishTimeout(Duration v) {
            publishTimeout = v;
            return this;
        }

        /** @param v the history and admin call timeout @return this */
        public Builder commandTimeout(Duration v) {
            commandTimeout = v;
            return this;
        }

        /** @param v the largest message in bytes @return this */
        public Builder maxMessageBytes(int v) {
            maxMessageBytes = v;
            return this;
        }

        /**
         * @param key a Kafka client setting
         * @param value its value
         * @return this
         */
        public Builder clientProperty(String key, String value) {
            clientProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** @return the options @throws IllegalArgumentException when a value is invalid */
        public KafkaBackplaneOptions build() {
            return new KafkaBackplaneOptions(bootstrapServers, backplane, topic, replicationFactor, linger,
                    fetchMaxWait, publishTimeout, commandTimeout, maxMessageBytes, clientProperties);
        }
    }
}
