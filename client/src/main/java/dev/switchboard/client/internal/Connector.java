package dev.switchboard.client.internal;

import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Opens WebSockets. The production implementation is {@link JdkConnector}; tests plug in a fake that
 * hands back scripted sockets, so that the whole client can be exercised without a network.
 */
@FunctionalInterface
public interface Connector {

    /**
     * Starts the opening handshake. Must not block.
     *
     * @param uri the endpoint
     * @param headers upgrade-request headers
     * @param subProtocols offered sub-protocols, most preferred first
     * @param timeout the connect timeout
     * @param listener receives the socket's events
     * @return the open socket; fails with the cause (a {@link java.net.http.WebSocketHandshakeException}
     *     carries the HTTP response of a refused upgrade)
     */
    CompletableFuture<WebSocket> open(URI uri, Map<String, String> headers, List<String> subProtocols,
                                      Duration timeout, WebSocket.Listener listener);
}
