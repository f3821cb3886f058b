package dev.switchboard.backplane.kafka;

/**
 * Why a {@link KafkaEventSource} skipped a record (a "poison" record). A skipped record is counted in
 * {@link KafkaEventSourceStats#skipped()}, logged with its topic, partition and offset, and passed over: it
 * never stops its partition.
 */
public enum SkipReason {
    /** The value is empty or not JSON (or a CloudEvent's JSON data is not valid JSON). */
    NOT_JSON,
    /** An emit message without {@code type}. */
    NO_TYPE,
    /**
     * The record names no audience: no {@code broadcast}, {@code users}, {@code organizations},
     * {@code topics} or {@code connections} (for a CloudEvent, neither as extension attributes nor in its data).
     */
    NO_AUDIENCE,
    /** A field of the wrong type or size, or {@code roles} without {@code organizations}. */
    INVALID,
    /** {@code ce_*} headers or a structured CloudEvent that the CloudEvents SDK cannot read. */
    BAD_CLOUDEVENT,
    /** Routing failed every attempt (a durable topic's history store was unreachable). */
    DELIVERY_FAILED
}
