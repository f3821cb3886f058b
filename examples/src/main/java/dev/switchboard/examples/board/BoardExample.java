package dev.switchboard.examples.board;

import dev.switchboard.Switchboard;
import dev.switchboard.crud.CollectionOptions;
import dev.switchboard.crud.CrudOperation;
import dev.switchboard.crud.InMemoryRepository;
import dev.switchboard.crud.ValidationException;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import java.util.Set;

/**
 * A live task board: collection {@code tasks} (title, status in todo/doing/done) over the socket,
 * with every change pushed to every open page through topic {@code collection:tasks}.
 */
public final class BoardExample implements AutoCloseable {
    private static final Set<String> STATUSES = Set.of("todo", "doing", "done");

    private final Switchboard board;
    private final JettyTransport transport;

    private BoardExample(Switchboard board, JettyTransport transport) {
        this.board = board;
        this.transport = transport;
    }

    /**
     * @param port the HTTP port, 0 for any free one
     * @return the running example
     */
    public static BoardExample start(int port) {
        Switchboard board = Switchboard.builder().build();
        InMemoryRepository tasks = InMemoryRepository.create();
        board.crud("tasks", tasks, CollectionOptions.builder()
                .fields("title", "status")
                .maxPageSize(100)
                .validator(BoardExample::validate)
                .build());
        JettyTransport transport = JettyTransport.start(board, JettyTransportOptions.builder()
                .port(port)
                .path("/ws")
                .staticClasspath("board")
                .build());
        return new BoardExample(board, transport);
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
    }
}
