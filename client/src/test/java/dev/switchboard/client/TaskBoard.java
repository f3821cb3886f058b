package dev.switchboard.client;

import dev.switchboard.crud.CollectionOptions;
import dev.switchboard.crud.CrudAuthorizer;
import dev.switchboard.crud.InMemoryRepository;
import dev.switchboard.crud.ValidationException;

/**
 * A real server exposing the collection {@code tasks} as in {@code docs/crud.md}: sortable and
 * filterable on {@code title} and {@code status}, pages of at most 50, titles must not be blank, and
 * only users with the role {@code editor} may write. Clients with token {@code erin:editor} may write;
 * {@code vic} may only read (and subscribe).
 */
final class TaskBoard implements AutoCloseable {
    static final String EDITOR = "erin:editor";
    static final String VIEWER = "vic";
    static final int MAX_PAGE_SIZE = 50;

    final TestServer server;
    final InMemoryRepository repository = InMemoryRepository.create();

    private TaskBoard() {
        server = TestServer.start();
        server.board().crud("tasks", repository, CollectionOptions.builder()
                .fields("title", "status")
                .maxPageSize(MAX_PAGE_SIZE)
                .validator((op, task) -> {
                    if (task.path("title").asText().isBlank()) {
                        throw new ValidationException("title", "must not be blank");
                    }
                })
                .authorizer(CrudAuthorizer.byOperation((conn, op) -> !op.isWrite() || conn.identity().hasRole("editor")))
                .build());
    }

    static TaskBoard start() {
        return new TaskBoard();
    }

    /** @return a connected client with the token's identity */
    RecordingClient connect(String token) {
        return RecordingClient.connect(server.clientOptions(token).build());
    }

    @Override
    public void close() {
        server.close();
    }
}
