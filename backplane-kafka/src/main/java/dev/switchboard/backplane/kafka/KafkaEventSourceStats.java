package dev.switchboard.backplane.kafka;

import java.util.Map;

/**
 * What a {@link KafkaEventSource} did since it started. A snapshot; immutable.
 *
 * @param received records read from Kafka
 * @param delivered records routed to their audience
 * @param duplicates records whose id the node's emit service had accepted within its de-duplication window
 *     (a redelivery after a restart or a rebalance, or a producer's retry), so not routed again
 * @param skipped poison records per reason; every reason is present, most with 0
 */
public record KafkaEventSourceStats(long received, long delivered, long duplicates, Map<SkipReason, Long> skipped) {

    /** Copies the map. */
    public KafkaEventSourceStats {
        skipped = Map.copyOf(skipped);
    }

    /** @return all skipped records, whatever the reason */
    public long skippedTotal() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @param reason a reason @return how many records were skipped for it */
    public long skipped(SkipReason reason) {
        return skipped.getOrDefault(reason, 0L);
    }
}
