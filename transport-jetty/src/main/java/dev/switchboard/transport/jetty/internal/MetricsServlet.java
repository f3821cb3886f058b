package dev.switchboard.transport.jetty.internal;

import dev.switchboard.spi.MetricsScraper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code GET /metrics}: the node's metrics for a Prometheus scrape, in the format the scraper's
 * {@code Accept} header asks for (Prometheus text or OpenMetrics), never cached. Runs on a Jetty request
 * thread.
 */
public final class MetricsServlet extends HttpServlet {
    private final transient MetricsScraper scraper;

    /** @param scraper what to serve */
    public MetricsServlet(MetricsScraper scraper) {
        this.scraper = scraper;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String contentType = scraper.contentType(req.getHeader("Accept"));
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(contentType);
        resp.setHeader("Cache-Control", "no-store");
        try (OutputStream out = resp.getOutputStream()) {
            scraper.scrape(contentType, out);
        }
    }
}
