package dev.switchboard.internal;

/**
 * What a connection does with the frames its client sends: the protocol's dispatcher, or a plain
 * endpoint's. Called by the connection's transport one call at a time, possibly on I/O threads, so
 * implementations check limits there and hand the work to the node's executor.
 */
interface Inbound {

    /** @param text one complete text frame */
    void onText(String text);

    /** @param size the size of a binary frame */
    void onBinary(int size);

    /** The connection closed: drop the work still in flight. */
    void cancelInFlight();

    /**
     * @return frames received but not yet handled (requests until their reply is queued), read by a
     *     draining node to know when nothing is in flight; 0 when the implementation does not count
     */
    default int inFlight() {
        return 0;
    }
}
