package dev.switchboard.bench.chaos;

/**
 * What a soak topic is: durable with a count retention, durable last-value, or plain (at most once).
 *
 * @param name the topic
 * @param durable true for a durable topic
 * @param retention the messages its history keeps (1 for last-value), 0 for plain
 */
record TopicKind(String name, boolean durable, int retention) {

    /** @return true for a last-value topic */
    boolean lastValue() {
        return durable && retention == 1;
    }

    /** @return {@code count N}, {@code last value} or {@code plain} */
    String describe() {
        return !durable ? "plain" : lastValue() ? "last value" : "count " + retention;
    }
}
