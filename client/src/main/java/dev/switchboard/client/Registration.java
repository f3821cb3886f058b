package dev.switchboard.client;

/**
 * A registered listener or handler; {@link #remove()} unregisters it. Returned by
 * {@link SwitchboardClient#on(String, ServerEventListener)} and friends.
 */
@FunctionalInterface
public interface Registration {

    /**
     * Unregisters the listener or handler. Idempotent and thread-safe; a callback already handed to the
     * callback executor may still run once.
     */
    void remove();
}
