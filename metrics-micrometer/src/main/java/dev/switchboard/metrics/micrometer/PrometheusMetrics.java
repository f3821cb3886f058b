package dev.switchboard.metrics.micrometer;

import dev.switchboard.EventListener;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.MetricsScraper;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Everything a Prometheus scrape of a Switchboard node needs, in one object: a Micrometer
 * {@link PrometheusMeterRegistry} holding the JVM's meters (memory, GC, threads, class loading, CPU,
 * uptime, open files) and the node's ({@link SwitchboardMetrics}), rendered for {@code GET /metrics}.
 * Needs {@code io.micrometer:micrometer-registry-prometheus} on the class path (an optional dependency
 * of this module).
 *
 * <pre>{@code
 * PrometheusMetrics metrics = PrometheusMetrics.create(Tags.of("app", "chat"));
 * Switchboard board = Switchboard.builder().eventListener(metrics.listener()).build();
 * metrics.monitor(board);
 * JettyTransport.start(board, JettyTransportOptions.builder().metrics(metrics).build()); // GET /metrics
 * }</pre>
 *
 * <p>Scrapes answer in the Prometheus text format, or OpenMetrics when the scraper asks for it. Thread-safe;
 * a scrape reads the meters' current values and never blocks the node. {@link #close()} releases the GC
 * notification listener.
 */
public final class PrometheusMetrics implements MetricsScraper, AutoCloseable {
    /** The Prometheus text exposition format. */
    public static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics 1.0, for scrapers that ask for it. */
    public static final String OPENMETRICS_FORMAT = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String OPENMETRICS = "application/openmetrics-text";

    private final PrometheusMeterRegistry registry;
    private final SwitchboardMetrics switchboard;
    private final JvmGcMetrics gc;

    private PrometheusMetrics(PrometheusMeterRegistry registry, Tags tags) {
        this.registry = registry;
        registry.config().commonTags(tags);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        this.gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        this.switchboard = SwitchboardMetrics.create(registry);
    }

    /** @return metrics with no common tags */
    public static PrometheusMetrics create() {
        return create(Tags.empty());
    }

    /**
     * @param tags tags added to every meter, e.g. {@code Tags.of("app", "chat")}
     * @return a new registry with the JVM's meters and the Switchboard meters (not yet watching a node)
     */
    public static PrometheusMetrics create(Tags tags) {
        return new PrometheusMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Objects.requireNonNull(tags, "tags"));
    }

    /** @return the event listener to give the node ({@code Switchboard.builder().eventListener(...)}) */
    public EventListener listener() {
        return switchboard;
    }

    /**
     * Registers the gauges that read the node's state; see {@link SwitchboardMetrics#monitor}.
     *
     * @param board the node whose event listener is {@link #listener()}
     * @return this
     */
    public PrometheusMetrics monitor(Switchboard board) {
        switchboard.monitor(board);
        return this;
    }

    /** @return the registry, for the application's own meters */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** OpenMetrics when the {@code Accept} header asks for it, else the Prometheus text format 0.0.4. */
    @Override
    public String contentType(String accept) {
        if (accept != null && accept.contains(OPENMETRICS)) {
            return OPENMETRICS_FORMAT;
        }
        return TEXT_FORMAT;
    }

    @Override
    public void scrape(String contentType, OutputStream out) throws IOException {
        registry.scrape(out, contentType);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
