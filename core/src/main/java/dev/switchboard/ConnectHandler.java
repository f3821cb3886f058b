package dev.switchboard;

/** Called on a core handler thread when a connection has opened, after its {@code welcome} frame. */
@FunctionalInterface
public interface ConnectHandler {
    /** @param connection the new connection @throws Exception logged; the connection stays open */
    void onConnect(Connection connection) throws Exception;
}
