package dev.switchboard;

/** Called once on a core handler thread after a connection closed, for whatever reason. */
@FunctionalInterface
public interface DisconnectHandler {
    /**
     * @param connection the closed connection (its topics are still readable)
     * @param code the close code
     * @param reason the close reason
     * @throws Exception logged
     */
    void onDisconnect(Connection connection, int code, String reason) throws Exception;
}
