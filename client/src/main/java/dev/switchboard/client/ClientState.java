package dev.switchboard.client;

/**
 * The lifecycle of a {@link SwitchboardClient}:
 *
 * <pre>
 * NEW ──connect()──▶ CONNECTING ──welcome──▶ OPEN ──connection lost──▶ RECONNECTING ──welcome + resubscribed──▶ OPEN
 *  │                     │                    │                            │
 *  └──close()──▶ CLOSED ◀┴──failed            └──close() / terminal close──┴──▶ CLOSED
 * </pre>
 *
 * <p>{@code CLOSED} is final: a closed client never reconnects. Which closes are terminal is described
 * on {@link SwitchboardClient}.
 */
public enum ClientState {
    /**
     * Made by {@link SwitchboardClient#create}; {@link SwitchboardClient#connect()} was not called yet.
     * Listeners and handlers added now see every frame of the first connection, the events the server
     * sends right after its {@code welcome} included. Emits and requests made now wait in the reconnect
     * queue and are sent after the first {@code welcome}.
     */
    NEW,
    /** The first connection is being opened; the future of {@link SwitchboardClient#connect()} has not completed yet. */
    CONNECTING,
    /** Connected and welcomed; frames are sent immediately. */
    OPEN,
    /**
     * The connection was lost and a new one is being opened (after a backoff delay). Requests and emits
     * made now are queued and sent once the client is {@link #OPEN} again.
     */
    RECONNECTING,
    /** Closed for good, by {@link SwitchboardClient#close()}, a terminal close, or a failed first connect. */
    CLOSED
}
