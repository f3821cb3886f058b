package dev.switchboard.examples.orders;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ConnectionLimits;
import dev.switchboard.Retention;
import dev.switchboard.Switchboard;
import dev.switchboard.backplane.Backplanes;
import dev.switchboard.crud.Repositories;
import dev.switchboard.examples.Settings;
import dev.switchboard.examples.auth.DemoLogin;
import dev.switchboard.http.ApiKeys;
import dev.switchboard.http.HttpApiOptions;
import dev.switchboard.metrics.micrometer.PrometheusMetrics;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;

/**
 * A shop whose backend pushes what other services decide (seeds 000, 001 and 002 in one app):
 *
 * <ul>
 *   <li><b>Async request correlation</b> (seed 001): {@code POST /api/orders} answers {@code 202} at once;
 *       a simulated workflow pushes every status to topic {@code orders:<id>} (last-value durable, so a
 *       late subscriber still gets the result); only the owner may subscribe; {@code GET /api/orders/{id}}
 *       is the polling fallback — see {@link OrdersApi} and {@link OrderWorkflow}.</li>
 *   <li><b>CloudEvents in</b> (seed 000): an {@code order.created} CloudEvent posted to {@code /events} is
 *       enriched from the catalog and pushed to the customer as {@code order.enriched} —
 *       {@link OrderEnricher}.</li>
 *   <li><b>The emit API</b> (seed 002): {@code POST /api/emit} with an API key feeds the page's
 *       notification drawer ({@code notifications.drawer}), to everyone, some users, or roles within
 *       organisations; a plain {@code new WebSocket(url, "cloudevents.json")} gets the same events as
 *       CloudEvents.</li>
 * </ul>
 */
public final class OrdersExample implements AutoCloseable {
    private final Switchboard board;
    private final JettyTransport transport;
    private final OrderWorkflow workflow;
    private final PrometheusMetrics metrics;

    private OrdersExample(Switchboard board, JettyTransport transport, OrderWorkflow workflow,
                          PrometheusMetrics metrics) {
        this.board = board;
        this.transport = transport;
        this.workflow = workflow;
        this.metrics = metrics;
    }

    /**
     * @param settings the port, backplane and repository (Postgres or MongoDB share the orders between nodes)
     * @param options the workflow's pace and failure share, the emit API's keys
     * @return the running example
     */
    public static OrdersExample start(Settings settings, OrdersOptions options) {
        Clock clock = Clock.systemUTC();
        ObjectMapper mapper = new ObjectMapper();
        Orders orders = new Orders(Repositories.fromUri(settings.repository(), "orders"), mapper, clock);
        PrometheusMetrics metrics = PrometheusMetrics.create(Tags.of("app", "orders"));
        DemoUsers users = new DemoUsers(mapper);
        Switchboard board = Switchboard.builder()
                .authenticator(users.authenticator())
                .connectionLimits(ConnectionLimits.builder().maxPerUser(20).maxPerAddress(200)
                        .handshakesPerSecondPerAddress(20).build())
                // A client may follow an order only when it is the order's owner.
                .subscriptionPolicy((conn, topic) -> topic.startsWith("orders:")
                        && orders.owns(conn.identity().userId(), topic.substring("orders:".length())))
                .backplane(Backplanes.fromUri(settings.backplane()))
                .clusterTrust(Settings.clusterTrust())
                .cloudEventSource("/shop")
                .mapper(mapper)
                .clock(clock)
                .eventListener(metrics.listener())
                .build();
        metrics.monitor(board);
        board.durableTopic("orders:*", Retention.lastValue());
        Catalog catalog = new Catalog();
        board.onCloudEvent(OrderEnricher.TYPE, new OrderEnricher(board, catalog));
        OrderWorkflow workflow = new OrderWorkflow(board, orders, options, clock);
        JettyTransport transport;
        try {
            transport = JettyTransport.start(board, JettyTransportOptions.builder()
                    .port(settings.port())
                    .path("/ws")
                    .staticClasspath("orders")
                    .metrics(metrics)
                    .allowedOrigins(DemoLogin.allowedOrigins())
                    .httpService(DemoLogin.PATH, users.loginService())
                    .httpApi(HttpApiOptions.builder().emitApi(ApiKeys.parse(options.emitKeys())).build())
                    .httpService("/api/*", new OrdersApi(users, orders, workflow, catalog, board.mapper(), "/ws"))
                    .build());
        } catch (RuntimeException e) {
            workflow.close();
            board.close();
            metrics.close();
            throw e;
        }
        return new OrdersExample(board, transport, workflow, metrics);
    }

    /** @return the bound HTTP port */
    public int port() {
        return transport.port();
    }

    /** @return the node, for tests */
    public Switchboard board() {
        return board;
    }

    @Override
    public void close() {
        // Graceful, as on SIGTERM: refuse upgrades (503) and report DRAINING on /health, let requests in
        // flight finish (up to DRAIN_TIMEOUT_SECONDS, 10), close clients with 1012 so they move to another node;
        // then stop serving HTTP, and only then leave the cluster.
        board.drain(Settings.drainTimeout());
        workflow.close();
        transport.close();
        board.close();
        metrics.close();
    }
}
