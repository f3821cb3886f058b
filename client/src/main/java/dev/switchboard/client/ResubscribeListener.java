package dev.switchboard.client;

/**
 * Told the outcome of each automatic re-subscription after a reconnect: whether the events missed while
 * disconnected were {@linkplain SubscribeResult#recovered() recovered} (replayed by the server, nothing
 * lost) or not (the application should reload the state it derives from the topic). Registered for every
 * topic with {@link SwitchboardClient#onResubscribe(ResubscribeListener)}, or for one subscription with
 * {@link SubscribeOptions.Builder#onResubscribe(ResubscribeListener)}.
 *
 * <pre>{@code
 * client.onResubscribe(r -> {
 *     if (!r.recovered()) {
 *         reload(r.topic());
 *     }
 * });
 * }</pre>
 *
 * <p>Runs on the client's callback executor, once per re-subscribed topic and reconnect, after the
 * server's reply and — with the default single-threaded executor — before the replayed and live events of
 * that topic are delivered. It should not block. A topic the server now refuses is not reported here but to
 * the {@link ErrorListener}s.
 */
@FunctionalInterface
public interface ResubscribeListener {

    /**
     * @param result the topic, its position and whether the missed events were recovered
     * @throws Exception any failure; it is logged and does not affect other listeners
     */
    void onResubscribe(SubscribeResult result) throws Exception;
}
