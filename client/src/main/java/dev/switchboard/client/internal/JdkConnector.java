package dev.switchboard.client.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Opens WebSockets with the JDK's {@link HttpClient}. */
public final class JdkConnector implements Connector {
    private final HttpClient http;

    /** @param http the HTTP client; one per Switchboard client is enough, it is reused for reconnects */
    public JdkConnector(HttpClient http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public CompletableFuture<WebSocket> open(URI uri, Map<String, String> headers, List<String> subProtocols,
                                             Duration timeout, WebSocket.Listener listener) {
        try {
            WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
            headers.forEach(builder::header);
            if (!subProtocols.isEmpty()) {
                builder.subprotocols(subProtocols.get(0),
                        subProtocols.subList(1, subProtocols.size()).toArray(String[]::new));
            }
            return builder.buildAsync(uri, listener);
        } catch (RuntimeException e) {
            // restricted header names or bad sub-protocols are reported by the builder synchronously
            return CompletableFuture.failedFuture(e);
        }
    }
}
