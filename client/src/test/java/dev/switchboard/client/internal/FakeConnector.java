package dev.switchboard.client.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

/** A {@link Connector} that hands each connection attempt to the test as an {@link Attempt}. */
final class FakeConnector implements Connector {
    private final LinkedBlockingQueue<Attempt> attempts = new LinkedBlockingQueue<>();

    @Override
    public CompletableFuture<WebSocket> open(URI uri, Map<String, String> headers, List<String> subProtocols,
                                             Duration timeout, WebSocket.Listener listener) {
        Attempt a = new Attempt(uri, headers, subProtocols, listener);
        attempts.add(a);
        return a.result;
    }

    /** @return the next attempt the client made; fails the test if there is none */
    Attempt next() {
        try {
            Attempt a = attempts.poll(5, TimeUnit.SECONDS);
            if (a == null) {
                throw new AssertionError("the client made no connection attempt");
            }
            return a;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** @return true if the client made no attempt that the test has not taken */
    boolean noMoreAttempts() {
        return attempts.isEmpty();
    }

    /** One connection attempt: the test accepts it (as a server would) or refuses it. */
    static final class Attempt {
        final URI uri;
        final Map<String, String> headers;
        final List<String> subProtocols;
        final WebSocket.Listener listener;
        final FakeWebSocket socket = new FakeWebSocket();
        final CompletableFuture<WebSocket> result = new CompletableFuture<>();

        Attempt(URI uri, Map<String, String> headers, List<String> subProtocols, WebSocket.Listener listener) {
            this.uri = uri;
            this.headers = headers;
            this.subProtocols = subProtocols;
            this.listener = listener;
        }

        /** Completes the upgrade without sending anything. */
        Attempt accept() {
            listener.onOpen(socket);
            result.complete(socket);
            return this;
        }

        /** Completes the upgrade and sends the welcome frame. */
        Attempt welcome(String connectionId) {
            accept();
            return frame("{\"type\":\"welcome\",\"connectionId\":\"" + connectionId
                    + "\",\"node\":\"n-1\",\"heartbeatMs\":25000,\"maxFrameBytes\":65536}");
        }

        /** Delivers one whole text message from the server. */
        Attempt frame(String json) {
            listener.onText(socket, json, true);
            return this;
        }

        /** The server closes the connection. */
        void close(int code, String reason) {
            listener.onClose(socket, code, reason);
        }

        /** The connection breaks. */
        void fail(Throwable error) {
            listener.onError(socket, error);
        }

        /** The upgrade fails with an I/O error. */
        void refuse(Throwable error) {
            result.completeExceptionally(error);
        }

        /** The server answers the upgrade with an HTTP status instead of 101. */
        void refuseWithStatus(int status) {
            result.completeExceptionally(new WebSocketHandshakeException(new StatusResponse(status)));
        }
    }

    private record StatusResponse(int statusCode) implements HttpResponse<Object> {
        @Override
        public HttpRequest request() {
            return null;
        }

        @Override
        public Optional<HttpResponse<Object>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public Object body() {
            return null;
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return null;
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
