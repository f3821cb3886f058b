package dev.switchboard.client;

import dev.switchboard.StreamPosition;

/**
 * How to subscribe: where to resume a durable topic from, and who to tell about re-subscriptions.
 * Immutable; build with {@link #builder()}:
 *
 * <pre>{@code
 * StreamPosition saved = store.load("orders");          // persisted from client.position("orders")
 * client.subscribe("orders", this::apply, SubscribeOptions.builder()
 *         .since(saved)                                  // replay what was missed since then
 *         .onResubscribe(r -> { if (!r.recovered()) reloadOrders(); })
 *         .build());
 * }</pre>
 *
 * @param since the position to resume from: the server replays every event after it (subscribe result
 *     {@code recovered == true}) or, when its history no longer reaches back or the epoch differs, none
 *     ({@code recovered == false}). Only used by the subscribe that starts the client's subscription to
 *     the topic — a topic this client is already subscribed to continues from its own position. {@code null}
 *     (the default) for no resume: a durable topic then starts at its latest offset (a "last value" topic
 *     sends its latest message right after the reply)
 * @param onResubscribe told the outcome of each automatic re-subscription of this topic after a reconnect,
 *     in addition to the client-wide {@link SwitchboardClient#onResubscribe(ResubscribeListener)}
 *     listeners; removed with the subscription. {@code null} (the default) for none
 */
public record SubscribeOptions(StreamPosition since, ResubscribeListener onResubscribe) {

    private static final SubscribeOptions DEFAULTS = new SubscribeOptions(null, null);

    /** @return options with every default: no {@code since}, no re-subscribe listener */
    public static SubscribeOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder with every default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        return new Builder().since(since).onResubscribe(onResubscribe);
    }

    /** Builds {@link SubscribeOptions}. Not thread-safe. */
    public static final class Builder {
        private StreamPosition since;
        private ResubscribeListener onResubscribe;

        private Builder() {
        }

        /**
         * @param since the position to resume from, or {@code null} for none (the default)
         * @return this builder
         */
        public Builder since(StreamPosition since) {
            this.since = since;
            return this;
        }

        /**
         * @param listener told the outcome of each re-subscription of this topic, or {@code null} for none
         *     (the default)
         * @return this builder
         */
        public Builder onResubscribe(ResubscribeListener listener) {
            this.onResubscribe = listener;
            return this;
        }

        /** @return the options */
        public SubscribeOptions build() {
            return new SubscribeOptions(since, onResubscribe);
        }
    }
}
