package dev.switchboard.http;

/**
 * An HTTP endpoint written against the neutral {@link HttpRequest} / {@link HttpResponse}, so that any
 * server can mount it: the Jetty transport, a host's servlet container, another framework.
 *
 * <p>Adapters: read at most {@link #maxBodyBytes()} bytes of the body (set
 * {@link HttpRequest#bodyTooLarge()} when there was more), call {@link #handle}, write the response.
 *
 * <p>Threading: {@link #handle} is called on the server's request thread (never an I/O selector thread)
 * and may block briefly; implementations are thread-safe.
 */
@FunctionalInterface
public interface HttpService {

    /** The default body limit: 256 KiB. */
    int DEFAULT_MAX_BODY_BYTES = 256 * 1024;

    /**
     * @param request the request
     * @return the response; problems are responses too ({@link HttpResponse#problem}), never exceptions
     */
    HttpResponse handle(HttpRequest request);

    /** @return the largest body the service reads (default {@value #DEFAULT_MAX_BODY_BYTES} bytes) */
    default int maxBodyBytes() {
        return DEFAULT_MAX_BODY_BYTES;
    }
}
