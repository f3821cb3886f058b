package dev.switchboard.metrics.micrometer;

import dev.switchboard.Connection;
import dev.switchboard.EventListener;
import dev.switchboard.Switchboard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Switchboard's {@link EventListener} hook and a node's state as Micrometer meters. Give it to the node
 * as its event listener, then let it watch the node for the gauges:
 *
 * <pre>{@code
 * SwitchboardMetrics metrics = SwitchboardMetrics.create(registry);
 * Switchboard board = Switchboard.builder().eventListener(metrics).build();
 * metrics.monitor(board);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code switchboard.connections}</td><td>gauge</td><td>open connections on this node</td></tr>
 *   <tr><td>{@code switchboard.connections.opened}</td><td>counter</td><td>connections accepted</td></tr>
 *   <tr><td>{@code switchboard.connections.closed}</td><td>counter, tag {@code code}</td><td>connections closed, by WebSocket close code (1000–1015, 4000–4003, else {@code other})</td></tr>
 *   <tr><td>{@code switchboard.messages.routed}</td><td>counter</td><td>events routed by this node</td></tr>
 *   <tr><td>{@code switchboard.messages.recipients}</td><td>summary</td><td>local connections each routed event was queued for</td></tr>
 *   <tr><td>{@code switchboard.requests.timeouts}</td><td>counter</td><td>server→client requests that got no reply in time</td></tr>
 *   <tr><td>{@code switchboard.slow.consumers}</td><td>counter</td><td>connections closed with 1013 because their outbound queue was full</td></tr>
 *   <tr><td>{@code switchboard.frames.refused}</td><td>counter, tag {@code reason}</td><td>client frames refused: {@code too_large}, {@code rate_limited}, {@code binary}, {@code malformed}</td></tr>
 *   <tr><td>{@code switchboard.backplane.publish.failures}</td><td>counter</td><td>backplane publishes that threw</td></tr>
 *   <tr><td>{@code switchboard.backplane.up}</td><td>gauge</td><td>1 while the backplane is up, else 0</td></tr>
 *   <tr><td>{@code switchboard.backplane.dropped}</td><td>function counter</td><td>messages the backplane could not publish</td></tr>
 *   <tr><td>{@code switchboard.cluster.nodes}</td><td>gauge</td><td>live nodes this node knows, itself included</td></tr>
 *   <tr><td>{@code switchboard.cluster.rejected}</td><td>function counter</td><td>backplane messages refused (garbage, unknown versions, routed frames that are not one JSON event frame)</td></tr>
 *   <tr><td>{@code switchboard.cluster.untrusted}</td><td>function counter</td><td>backplane messages dropped as unsigned, badly signed or out of time (with a cluster key)</td></tr>
 * </table>
 *
 * <p>No meter is tagged with event names, topics or users: they come from the application and its
 * clients, and would make the number of time series unbounded. Thread-safe; every callback is a few
 * counter increments and never blocks.
 */
public final class SwitchboardMetrics implements EventListener {
    private static final Set<String> FIXED_REASONS = Set.of("too large", "rate limited", "binary");

    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter opened;
    private final Counter routed;
    private final DistributionSummary recipients;
    private final Counter timeouts;
    private final Counter slowConsumers;
    private final Counter publishFailures;
    private final Map<Integer, Counter> closedByCode = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusedByReason = new ConcurrentHashMap<>();

    private SwitchboardMetrics(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
        this.opened = Counter.builder("switchboard.connections.opened").description("connections accepted")
                .tags(tags).register(registry);
        this.routed = Counter.builder("switchboard.messages.routed").description("events routed by this node")
                .tags(tags).register(registry);
        this.recipients = DistributionSummary.builder("switchboard.messages.recipients")
                .description("local connections each routed event was queued for").tags(tags).register(registry);
        this.timeouts = Counter.builder("switchboard.requests.timeouts")
                .description("server-to-client requests without a reply in time").tags(tags).register(registry);
        this.slowConsumers = Counter.builder("switchboard.slow.consumers")
                .description("connections closed because their outbound queue was full").tags(tags).register(registry);
        this.publishFailures = Counter.builder("switchboard.backplane.publish.failures")
                .description("backplane publishes that failed").tags(tags).register(registry);
    }

    /**
     * @param registry where the meters go
     * @return the metrics, with no extra tags
     */
    public static SwitchboardMetrics create(MeterRegistry registry) {
        return create(registry, Tags.empty());
    }

    /**
     * @param registry where the meters go
     * @param tags tags added to every meter (e.g. the application's name)
     * @return the metrics
     */
    public static SwitchboardMetrics create(MeterRegistry registry, Tags tags) {
        return new SwitchboardMetrics(Objects.requireNonNull(registry, "registry"), Objects.requireNonNull(tags, "tags"));
    }

    /**
     * Registers the gauges that read the node's state: open connections, backplane health and drops,
     * cluster size and refused backplane messages. The gauges hold the node weakly, as Micrometer's
     * gauges do.
     *
     * @param board the node whose event listener this is
     * @return this
     */
    public SwitchboardMetrics monitor(Switchboard board) {
        Objects.requireNonNull(board, "board");
        Gauge.builder("switchboard.connections", board, Switchboard::connectionCount)
                .description("open connections on this node").tags(tags).register(registry);
        Gauge.builder("switchboard.backplane.up", board, b -> b.backplaneHealth().up() ? 1 : 0)
                .description("1 while the backplane is up").tags(tags).register(registry);
        FunctionCounter.builder("switchboard.backplane.dropped", board, b -> b.backplaneHealth().droppedMessages())
                .description("messages the backplane could not publish").tags(tags).register(registry);
        Gauge.builder("switchboard.cluster.nodes", board, b -> b.cluster().nodes().size())
                .description("live nodes this node knows, itself included").tags(tags).register(registry);
        FunctionCounter.builder("switchboard.cluster.rejected", board, b -> b.cluster().rejectedMessages())
                .description("backplane messages refused").tags(tags).register(registry);
        FunctionCounter.builder("switchboard.cluster.untrusted", board, b -> b.cluster().untrustedMessages())
                .description("backplane messages dropped as unsigned, badly signed or out of time").tags(tags)
                .register(registry);
        return this;
    }

    @Override
    public void connectionOpened(Connection connection) {
        opened.increment();
    }

    @Override
    public void connectionClosed(Connection connection, int code) {
        // Clients choose their own close codes: only the standard ones and Switchboard's become tag values.
        int key = (code >= 1000 && code <= 1015) || (code >= 4000 && code <= 4003) ? code : 0;
        closedByCode.computeIfAbsent(key, c -> Counter.builder("switchboard.connections.closed")
                .description("connections closed, by close code").tags(tags)
                .tag("code", c == 0 ? "other" : Integer.toString(c)).register(registry)).increment();
    }

    @Override
    public void messageRouted(String event, int localRecipients) {
        routed.increment();
        recipients.record(localRecipients);
    }

    @Override
    public void requestTimedOut(Connection connection, String event) {
        timeouts.increment();
    }

    @Override
    public void slowConsumer(Connection connection) {
        slowConsumers.increment();
    }

    @Override
    public void backplanePublishFailed(Throwable cause) {
        publishFailures.increment();
    }

    @Override
    public void badFrame(Connection connection, String reason) {
        // Protocol errors carry details from the client's frame: only fixed reasons become tag values.
        String tag = reason != null && FIXED_REASONS.contains(reason) ? reason.replace(' ', '_') : "malformed";
        refusedByReason.computeIfAbsent(tag, t -> Counter.builder("switchboard.frames.refused")
                .description("client frames refused").tags(tags).tag("reason", t).register(registry)).increment();
    }
}
