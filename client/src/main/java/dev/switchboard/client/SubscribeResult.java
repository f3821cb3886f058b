package dev.switchboard.client;

import dev.switchboard.StreamPosition;
import java.util.Objects;

/**
 * The outcome of a subscribe, decoded from the server's reply {@code {"topic","epoch","offset","recovered"}}:
 * returned by {@link SwitchboardClient#subscribe(String, TopicListener, SubscribeOptions)} and passed to
 * {@link ResubscribeListener}s after every automatic re-subscription.
 *
 * <p>On a durable topic, {@code position} is the topic's epoch and latest offset when the server answered.
 * When {@code recovered} is true the events missed since the position the subscribe asked for follow the
 * reply, before any live event, so once they are delivered the subscription stands at {@code position}
 * (or later); when it is false nothing was replayed and the subscription continues from {@code position}.
 *
 * @param topic the topic
 * @param position the topic's epoch and latest offset, or {@code null} when the topic is not durable
 * @param recovered true when the subscribe carried {@code since} and the server replays every event after it
 *     (nothing was lost); false when there was nothing to resume from, the topic is not durable, the
 *     history no longer reaches back that far or its epoch changed — the application should then reload
 *     whatever state it derives from the topic
 */
public record SubscribeResult(String topic, StreamPosition position, boolean recovered) {

    /** Requires a topic. */
    public SubscribeResult {
        Objects.requireNonNull(topic, "topic");
    }

    /** @return true when the topic is durable (its events carry offsets and can be resumed) */
    public boolean durable() {
        return position != null;
    }
}
