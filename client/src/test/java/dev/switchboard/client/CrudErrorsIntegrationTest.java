package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.crud.ChangeEvent;
import dev.switchboard.crud.CollectionOptions;
import dev.switchboard.crud.CrudAuthorizer;
import dev.switchboard.crud.InMemoryRepository;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CRUD failures through {@link RemoteCollection} against a real server: each completes the future
 * exceptionally with a {@link SwitchboardException} carrying the server's {@link ErrorCode}, and leaves
 * the stored item unchanged.
 */
class CrudErrorsIntegrationTest {
    private static final Duration WAIT = RecordingClient.WAIT;
    private final ObjectMapper json = new ObjectMapper();
    private TaskBoard board;
    private RecordingClient editor;
    private RemoteCollection<Task> tasks;
    private Task stored;

    @BeforeEach
    void start() {
        board = TaskBoard.start();
        editor = board.connect(TaskBoard.EDITOR);
        tasks = editor.client.collection("tasks", Task.class);
        tasks.create(Task.of("Write docs", "todo")).join();
        stored = tasks.patch("1", Map.of("status", "doing")).join(); // version 2
    }

    @AfterEach
    void stop() {
        editor.close();
        board.close();
    }

    private static ThrowableAssertAlternative<?> assertFails(CompletableFuture<?> f, ErrorCode code) {
        return assertThat(f).failsWithin(WAIT).withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private void assertUnchanged() {
        assertThat(tasks.get(stored.id())).succeedsWithin(WAIT).isEqualTo(stored);
    }

    @Test
    void aStaleVersionIsAConflictAndChangesNothing() {
        assertFails(tasks.replace("1", Task.of("Mine", "done"), 1), ErrorCode.CONFLICT)
                .withMessage("tasks/1 is at version 2, not 1");
        assertFails(tasks.patch("1", Map.of("status", "done"), 1), ErrorCode.CONFLICT)
                .withMessage("tasks/1 is at version 2, not 1");
        assertFails(tasks.delete("1", 1), ErrorCode.CONFLICT);
        assertUnchanged();
    }

    @Test
    void anUnknownIdIsNotFound() {
        assertFails(tasks.get("7"), ErrorCode.NOT_FOUND).withMessage("tasks/7 does not exist");
        assertFails(tasks.replace("7", Task.of("x", "todo")), ErrorCode.NOT_FOUND);
        assertFails(tasks.patch("7", Map.of("status", "done")), ErrorCode.NOT_FOUND);
        assertFails(tasks.delete("7"), ErrorCode.NOT_FOUND).withMessage("tasks/7 does not exist");
    }

    @Test
    void anUnknownCollectionIsNotFound() {
        assertFails(editor.client.collection("nope", Task.class).get("1"), ErrorCode.NOT_FOUND)
                .withMessage("collection \"nope\" does not exist");
    }

    @Test
    void anInvalidJsonPatchIsABadRequestAndNothingIsStored() throws Exception {
        // the first operation would succeed on its own: the patch applies all or nothing
        JsonNode ops = json.readTree("""
                [{"op":"replace","path":"/title","value":"Docs"},
                 {"op":"remove","path":"/missing"}]""");

        assertFails(tasks.patch("1", ops), ErrorCode.BAD_REQUEST)
                .withMessageStartingWith("patch operation 1 (remove \"/missing\") failed");
        assertUnchanged();
    }

    @Test
    void aFailedJsonPatchTestIsAConflict() throws Exception {
        JsonNode ops = json.readTree("""
                [{"op":"test","path":"/status","value":"todo"},
                 {"op":"replace","path":"/status","value":"done"}]""");

        assertFails(tasks.patch("1", ops), ErrorCode.CONFLICT).withMessageStartingWith("patch operation 0 (test");
        assertUnchanged();
    }

    @Test
    void validationAndQueryErrorsAreBadRequests() {
        assertFails(tasks.create(Task.of(" ", "todo")), ErrorCode.BAD_REQUEST).withMessage("title: must not be blank");
        assertFails(tasks.patch("1", Map.of("title", "")), ErrorCode.BAD_REQUEST).withMessage("title: must not be blank");
        assertFails(tasks.list(ListQuery.builder().size(TaskBoard.MAX_PAGE_SIZE + 1).build()), ErrorCode.BAD_REQUEST)
                .withMessage("size must be between 1 and " + TaskBoard.MAX_PAGE_SIZE);
        assertFails(tasks.list(ListQuery.builder().sort("-secret").build()), ErrorCode.BAD_REQUEST)
                .withMessage("cannot sort on unknown field \"secret\"");
        assertFails(tasks.list(ListQuery.builder().filter("secret", 1).build()), ErrorCode.BAD_REQUEST)
                .withMessage("cannot filter on unknown field \"secret\"");
        assertUnchanged();
    }

    @Test
    void aWriteTheAuthorizerDeniesIsForbiddenAndNeitherStoredNorPublished() {
        try (RecordingClient viewer = board.connect(TaskBoard.VIEWER)) {
            RemoteCollection<Task> readOnly = viewer.client.collection("tasks", Task.class);
            RecordingChanges<Task> seen = new RecordingChanges<>();
            assertThat(readOnly.subscribe(seen)).as("LIST is allowed, so is the topic").succeedsWithin(WAIT);
            assertThat(readOnly.get("1")).succeedsWithin(WAIT).isEqualTo(stored);

            assertFails(readOnly.create(Task.of("Sneaky", "todo")), ErrorCode.FORBIDDEN)
                    .withMessage("POST on tasks is not allowed");
            assertFails(readOnly.replace("1", Task.of("Sneaky", "todo")), ErrorCode.FORBIDDEN);
            assertFails(readOnly.patch("1", Map.of("status", "done")), ErrorCode.FORBIDDEN);
            assertFails(readOnly.delete("1"), ErrorCode.FORBIDDEN).withMessage("DELETE on tasks is not allowed");

            // the editor's next write is the first change the viewer hears of
            Task next = tasks.create(Task.of("Allowed", "todo")).join();
            assertThat(seen.assertNext(ChangeEvent.Type.ADDED, next.id()).item()).isEqualTo(next);
            seen.assertExhausted();
            assertThat(board.repository.size()).isEqualTo(2);
            assertUnchanged();
        }
    }

    @Test
    void aSubscriptionTheAuthorizerDeniesIsForbidden() {
        board.server.board().crud("secrets", InMemoryRepository.create(), CollectionOptions.builder()
                        .authorizer(CrudAuthorizer.byOperation((conn, op) -> conn.identity().hasRole("editor"))).build());
        try (RecordingClient viewer = board.connect(TaskBoard.VIEWER)) {
            assertFails(viewer.client.collection("secrets").subscribe(change -> { }), ErrorCode.FORBIDDEN);
            assertThat(viewer.client.subscriptions()).isEmpty();
        }
        assertThat(editor.client.collection("secrets").subscribe(change -> { })).succeedsWithin(WAIT);
    }
}
