package dev.switchboard.backplane.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link KafkaEventSource}. Immutable; validated at construction; build one with
 * {@link #builder(String, String...)}.
 *
 * <pre>{@code
 * KafkaEventSourceOptions.builder("kafka-1:9092,kafka-2:9092", "platform.notifications")
 *         .mode(KafkaEventSourceOptions.Mode.EVERY_NODE)
 *         .groupId("chrome-service-" + System.getenv("HOSTNAME"))
 *         .build();
 * }</pre>
 *
 * @param bootstrapServers the Kafka bootstrap servers, {@code host:port[,host:port…]}
 * @param topics the topics to consume (at least one)
 * @param mode who reads each record (default {@link Mode#EVERY_NODE})
 * @param groupId the consumer group, or {@code null} for the default: {@code switchboard-events} in
 *     {@link Mode#SHARED_GROUP}, {@code switchboard-events-<nodeId>} in {@link Mode#EVERY_NODE} (a new group at
 *     every start, which then starts from {@code startFrom}: give each node a stable id of its own, such as its
 *     pod name, to resume where it stopped)
 * @param startFrom where a group without committed offsets starts (default {@link StartFrom#LATEST})
 * @param pollTimeout the longest one {@code poll} waits for records (default 500 ms); also bounds how long
 *     {@link KafkaEventSource#close()} waits for the consumer thread
 * @param deliveryAttempts how often routing a record is tried when a durable topic's history store fails,
 *     with 100 ms doubling between tries, before the record is skipped as {@link SkipReason#DELIVERY_FAILED}
 *     (default 3)
 * @param consumerProperties more Kafka consumer settings, passed as they are (security, {@code client.id},
 *     {@code max.poll.records}…); they cannot change the deserializers, the group, offset commits or
 *     {@code auto.offset.reset}, which the source sets
 */
public record KafkaEventSourceOptions(String bootstrapServers, List<String> topics, Mode mode, String groupId,
                                      StartFrom startFrom, Duration pollTimeout, int deliveryAttempts,
                                      Map<String, String> consumerProperties) {

    /** Who reads each record. */
    public enum Mode {
        /**
         * Every node reads every record with a consumer group of its own and delivers it to its own
         * connections ({@link dev.switchboard.emit.EmitService#acceptLocally}): no backplane needed, a node
         * needs nothing from the others. Kafka's fan-out does the work: N nodes read each record N times.
         * Events to durable topics are not kept in the history (node-local emits are not durable).
         */
        EVERY_NODE,
        /**
         * One consumer group for the whole cluster: Kafka hands each partition to one node, which routes each
         * record once through the backplane ({@link dev.switchboard.emit.EmitService#accept}), like
         * {@code POST /api/emit}. Needs a backplane between the nodes; durable topics work; partitions move
         * to the remaining nodes when one leaves.
         */
        SHARED_GROUP
    }

    /** Where a consumer group without committed offsets starts. */
    public enum StartFrom {
        /** The oldest retained record. */
        EARLIEST,
        /** Only records produced after the group started. */
        LATEST
    }

    /** Validates and copies. */
    public KafkaEventSourceOptions {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must name at least one host:port");
        }
        topics = List.copyOf(Objects.requireNonNull(topics, "topics"));
        if (topics.isEmpty() || topics.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("topics must name at least one topic, none blank: " + topics);
        }
        Objects.requireNonNull(mode, "mode");
        if (groupId != null && groupId.isBlank()) {
            throw new IllegalArgumentException("groupId must not be blank");
        }
        Objects.requireNonNull(startFrom, "startFrom");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        if (pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("pollTimeout must be positive: " + pollTimeout);
        }
        if (deliveryAttempts < 1) {
            throw new IllegalArgumentException("deliveryAttempts must be at least 1: " + deliveryAttempts);
        }
        consumerProperties = Map.copyOf(Objects.requireNonNull(consumerProperties, "consumerProperties"));
    }

    /**
     * @param bootstrapServers the Kafka bootstrap servers
     * @param topics the topics to consume
     * @return a builder with the defaults
     */
    public static Builder builder(String bootstrapServers, String... topics) {
        return new Builder(bootstrapServers, List.of(topics));
    }

    /**
     * @param nodeId the node's id
     * @return the consumer group this node uses
     */
    public String groupIdFor(String nodeId) {
        if (groupId != null) {
            return groupId;
        }
        return mode == Mode.SHARED_GROUP ? "switchboard-events" : "switchboard-events-" + nodeId;
    }

    /** Builds {@link KafkaEventSourceOptions}. Not thread-safe. */
    public static final class Builder {
        private final String bootstrapServers;
        private final List<String> topics;
        private Mode mode = Mode.EVERY_NODE;
        private String groupId;
        private StartFrom startFrom = StartFrom.LATEST;
        private Duration pollTimeout = Duration.ofMillis(500);
        private int deliveryAttempts = 3;
        private final Map<String, String> consumerProperties = new LinkedHashMap<>();

        private Builder(String bootstrapServers, List<String> topics) {
            this.bootstrapServers = bootstrapServers;
            this.topics = topics;
        }

        /** @param v who reads each record @return this */
        public Builder mode(Mode v) {
            mode = v;
            return this;
        }

        /** @param v the consumer group @return this */
        public Builder groupId(String v) {
            groupId = v;
            return this;
        }

        /** @param v where a new group starts @return this */
        public Builder startFrom(StartFrom v) {
            startFrom = v;
            return this;
        }

        /** @param v the longest one poll waits @return this */
        public Builder pollTimeout(Duration v) {
            pollTimeout = v;
            return this;
        }

        /** @param v tries per record when a durable topic's store fails @return this */
        public Builder deliveryAttempts(int v) {
            deliveryAttempts = v;
            return this;
        }

        /**
         * @param key a Kafka consumer setting
         * @param value its value
         * @return this
         */
        public Builder consumerProperty(String key, String value) {
            consumerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** @return the options @throws IllegalArgumentException when a value is invalid */
        public KafkaEventSourceOptions build() {
            return new KafkaEventSourceOptions(bootstrapServers, topics, mode, groupId, startFrom, pollTimeout,
                    deliveryAttempts, consumerProperties);
        }
    }
}
