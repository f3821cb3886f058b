package dev.switchboard.examples.board;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ConnectionLimits;
import dev.switchboard.Switchboard;
import dev.switchboard.crud.CollectionOptions;
import dev.switchboard.crud.CrudAuthorizer;
import dev.switchboard.crud.CrudOperation;
import dev.switchboard.backplane.Backplanes;
import dev.switchboard.crud.Repositories;
import dev.switchboard.crud.Repository;
import dev.switchboard.examples.Settings;
import dev.switchboard.examples.auth.DemoLogin;
import dev.switchboard.metrics.micrometer.PrometheusMetrics;
import dev.switchboard.crud.ValidationException;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import io.micrometer.core.instrument.Tags;
import java.util.Set;

/**
 * A live task board: collection {@code tasks} (title, status in todo/doing/done, owner) over the
 * socket, with every change pushed to every open page through topic {@code collection:tasks}. A page
 * signs in as a demo user ({@link DemoLogin}); everyone sees every task, and only a task's owner may
 * change or delete it ({@link #OWNERS}). Tasks without an owner (written straight into the database)
 * are anyone's.
 */
public final class BoardExample implements AutoCloseable {
    private static final Set<String> STATUSES = Set.of("todo", "doing", "done");

    /**
     * Per-owner rules: anyone signed in reads; a new task must name its creator as owner; only the owner
     * changes or deletes a task, and cannot hand it to someone else.
     */
    public static final CrudAuthorizer OWNERS = (conn, req) -> {
        String me = conn.identity().userId();
        return switch (req.operation()) {
            case GET, LIST -> true;
            case POST -> me != null && me.equals(req.proposed().path("owner").asText(null));
            case PUT, PATCH -> mayChange(me, req.current())
                    && req.current().path("owner").equals(req.proposed().path("owner"));
            case DELETE -> mayChange(me, req.current());
        };
    };

    private static boolean mayChange(String me, ObjectNode task) {
        return me != null && task != null && (!task.hasNonNull("owner") || me.equals(task.path("owner").asText()));
    }

    private final Switchboard board;
    private final JettyTransport transport;
    private final PrometheusMetrics metrics;

    private BoardExample(Switchboard board, JettyTransport transport, PrometheusMetrics metrics) {
        this.board = board;
        this.transport = transport;
        this.metrics = metrics;
    }

    /**
     * @param port the HTTP port, 0 for any free one
     * @return the running example, on one node with in-memory tasks
     */
    public static BoardExample start(int port) {
        return start(Settings.local(port));
    }

    /**
     * @param settings the port, the backplane (instances sharing one show one board) and the
     *     repository (with Postgres or MongoDB, changes made in the database appear live too)
     * @return the running example
     */
    public static BoardExample start(Settings settings) {
        DemoLogin login = DemoLogin.create();
        PrometheusMetrics metrics = PrometheusMetrics.create(Tags.of("app", "board"));
        Switchboard board = Switchboard.builder()
                .authenticator(login.authenticator())
                .connectionLimits(ConnectionLimits.builder().maxPerUser(20).maxPerAddress(200)
                        .handshakesPerSecondPerAddress(20).build())
                .backplane(Backplanes.fromUri(settings.backplane()))
                .clusterTrust(Settings.clusterTrust())
                .eventListener(metrics.listener())
                .build();
        metrics.monitor(board);
        Repository tasks = Repositories.fromUri(settings.repository(), "tasks");
        board.crud("tasks", tasks, CollectionOptions.builder()
                .fields("title", "status")
                .maxPageSize(100)
                .validator(BoardExample::validate)
                .authorizer(OWNERS)
                .maxItemBytes(4096)
                .changeFeed(Repositories.changeFeedFromUri(settings.repository(), "tasks"))
                .build());
        JettyTransport transport = JettyTransport.start(board, JettyTransportOptions.builder()
                .port(settings.port())
                .path("/ws")
                .staticClasspath("board")
                .metrics(metrics)
                .allowedOrigins(DemoLogin.allowedOrigins())
                .servlet(DemoLogin.PATH, login.servlet())
                .build());
        return new BoardExample(board, transport, metrics);
    }

    private static void validate(CrudOperation op, ObjectNode task) {
        String title = task.path("title").asText("");
        if (title.isBlank()) {
            throw new ValidationException("title", "must not be blank");
        }
        if (title.length() > 200) {
            throw new ValidationException("title", "must be at most 200 characters");
        }
        String status = task.path("status").asText("");
        if (!STATUSES.contains(status)) {
            throw new ValidationException("status", "must be one of todo, doing, done");
        }
        if (task.has("owner") && !task.get("owner").isTextual()) {
            throw new ValidationException("owner", "must be a user id");
        }
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
        transport.close();
        board.close();
        metrics.close();
    }
}
