package dev.switchboard.bench.chaos;

import java.util.Map;
import java.util.TreeMap;

/** One topic's counters in the checker's report. Guarded by the checker's lock. */
final class TopicTally {
    final TopicKind kind;
    final java.util.Set<String> subscribers = new java.util.HashSet<>();
    long delivered;
    long duplicates;
    long gapMessages;
    long orderViolations;
    long falseRecoveries;
    long recovered;
    long liveEpochRestarts;
    final Map<String, Long> notRecovered = new TreeMap<>(); // reason -> count
    long unjustifiedNotRecovered;
    long expectedPlain;
    long lostPlain;

    TopicTally(TopicKind kind) {
        this.kind = kind;
    }

    void notRecovered(String reason) {
        notRecovered.merge(reason, 1L, Long::sum);
    }

    /** @return the at-most-once loss rate of a plain topic, or NaN */
    double lossRate() {
        return expectedPlain == 0 ? Double.NaN : (double) lostPlain / expectedPlain;
    }
}
