package dev.switchboard;

/**
 * Handles one text frame from a client of a {@link PlainEndpoint}. Runs on a core handler thread, never an
 * I/O thread; it may block. Frames from one connection are handled one at a time, in the order they
 * arrived.
 */
@FunctionalInterface
public interface TextHandler {
    /**
     * @param connection the sender
     * @param text the frame's text, exactly as the client sent it
     * @throws Exception any failure, logged; the connection stays open
     */
    void onText(Connection connection, String text) throws Exception;
}
