package dev.switchboard.client;

/**
 * The lifecycle of a {@link SwitchboardClient}:
 *
 * <pre>
 * CONNECTING ──welcome──▶ OPEN ──connection lost──▶ RECONNECTING ──welcome + resubscribed──▶ OPEN
 *     │                    │                            │
 *     └──failed──▶ CLOSED ◀┴──close() / terminal close──┘
 * </pre>
 *
 * <p>{@code CLOSED} is final: a closed client never reconnects. Which closes are terminal is described
 * on {@link SwitchboardClient}.
 */
public enum ClientState {
    /** The first connection is being opened; {@link SwitchboardClient#connect} has not completed yet. */
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
