package dev.switchboard.bench.chaos;

import java.util.List;

/**
 * Something the soak's checker found that the documented guarantees forbid.
 *
 * @param kind what broke: {@code gap}, {@code duplicate}, {@code order}, {@code false-recovery},
 *     {@code unjustified-not-recovered}, {@code divergent}, {@code lost-acked}, {@code stale-at-end}
 * @param subscriber the subscriber, or {@code -} for a topic-wide finding
 * @param topic the topic
 * @param detail what exactly
 * @param evidence the subscriber's last records on that topic, oldest first
 */
record Violation(String kind, String subscriber, String topic, String detail, List<String> evidence) {

    /** Copies the evidence. */
    Violation {
        evidence = List.copyOf(evidence);
    }

    /** @return the violation and its evidence, several lines */
    String describe() {
        StringBuilder s = new StringBuilder(kind).append(' ').append(subscriber).append(' ').append(topic)
                .append(": ").append(detail);
        for (String e : evidence) {
            s.append("\n      ").append(e);
        }
        return s.toString();
    }
}
