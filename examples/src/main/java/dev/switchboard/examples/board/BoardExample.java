package dev.switchboard.examples.board;

import dev.switchboard.Switchboard;
import dev.switchboard.crud.CollectionOptions;
import dev.switchboard.crud.CrudOperation;
import dev.switchboard.backplane.Backplanes;
import dev.switchboard.crud.Repositories;
import dev.switchboard.crud.Repository;
import dev.switchboard.examples.Settings;
import dev.switchboard.metrics.micrometer.PrometheusMetrics;
import dev.switchboard.crud.ValidationException;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import io.micrometer.core.instrument.Tags;
import java.util.Set;

/**
 * A live task board: collection {@code tasks} (title, status in todo/doing/done) over the socket,
 * with every change pushed to every open page through topic {@code collection:tasks}.
 */
public final class BoardExample implements AutoCloseable {
    private static final Set<String> STATUSES = Set.of("todo", "doing", "done");

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
        PrometheusMetrics metrics = PrometheusMetrics.create(Tags.of("app", "board"));
        Switchboard board = Switchboard.builder().backplane(Backplanes.fromUri(settings.backplane()))
                .eventListener(metrics.listener()).build();
        metrics.monitor(board);
        Repository tasks = Repositories.fromUri(settings.repository(), "tasks");
        board.crud("tasks", tasks, CollectionOptions.builder()
                .fields("title", "status")
                .maxPageSize(100)
                .validator(BoardExample::validate)
                .changeFeed(Repositories.changeFeedFromUri(settings.repository(), "tasks"))
                .build());
        JettyTransport transport = JettyTransport.start(board, JettyTransportOptions.builder()
                .port(settings.port())
                .path("/ws")
                .staticClasspath("board")
                .metrics(metrics)
                .build());
        return new BoardExample(board, transport, metrics);
    }

    private static void validate(CrudOperation op, com.fasterxml.jackson.databind.node.ObjectNode task) {
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
        transport.close();
        board.close();
        metrics.close();
    }
}
