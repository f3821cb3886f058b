package dev.switchboard.spi;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A node's metrics in a text exposition format, for a transport to serve at {@code GET /metrics} (the
 * Prometheus scrape). Implemented by {@code PrometheusMetrics} in {@code switchboard-metrics-micrometer};
 * the Jetty transport serves one when its options name it. Called on a transport's request thread;
 * implementations are thread-safe and should answer within a scrape's timeout (a few seconds).
 */
public interface MetricsScraper {

    /**
     * @param accept the request's {@code Accept} header, or {@code null}
     * @return the content type of the body {@link #scrape} will write for it, e.g.
     *     {@code text/plain; version=0.0.4; charset=utf-8}
     */
    String contentType(String accept);

    /**
     * Writes the current values of every meter.
     *
     * @param contentType a content type {@link #contentType} returned
     * @param out where to write; not closed
     * @throws IOException when writing fails
     */
    void scrape(String contentType, OutputStream out) throws IOException;
}
