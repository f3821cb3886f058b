package dev.switchboard.client;

/**
 * Observes the client's {@link ClientState} transitions, registered with
 * {@link SwitchboardClient#onStateChange(StateListener)}.
 *
 * <p>Runs on the client's callback executor, once per transition, in order under the default
 * single-threaded executor. It should not block.
 */
@FunctionalInterface
public interface StateListener {

    /**
     * @param previous the state before the transition
     * @param current the state after it
     */
    void onStateChange(ClientState previous, ClientState current);
}
