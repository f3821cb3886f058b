package dev.switchboard.crud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Identity;
import dev.switchboard.Switchboard;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 12's attacks on CRUD: patches that blow items up, quotas, and authorisation that sees the item. */
class CrudHardeningTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private final AtomicInteger ids = new AtomicInteger();
    private Switchboard board;

    @AfterEach
    void tearDown() {
        board.close();
    }

    private InMemoryClient start(Repository repo, CollectionOptions options) {
        board = Switchboard.builder().authenticator(h -> h.bearerToken() == null ? Identity.anonymous()
                : Identity.user(h.bearerToken())).build();
        board.crud("tasks", repo, options);
        return connect("alice");
    }

    private InMemoryClient connect(String user) {
        InMemoryClient c = InMemoryTransport.attach(board).connect(new dev.switchboard.spi.Handshake("/ws",
                java.util.Map.of("access_token", List.of(user)), java.util.Map.of(), List.of(), null));
        c.nextFrame(WAIT);
        return c;
    }

    private JsonNode request(InMemoryClient c, String event, String data) {
        int id = ids.incrementAndGet();
        c.send("{\"type\":\"request\",\"id\":" + id + ",\"event\":\"" + event + "\",\"data\":" + data + "}");
        JsonNode reply = c.nextFrame(WAIT);
        assertThat(reply.path("id").asInt()).as("reply %s", reply).isEqualTo(id);
        return reply;
    }

    private static String code(JsonNode reply) {
        return reply.at("/error/code").asText();
    }

    /** The 655-byte PATCH: fifteen copies of the whole item into itself grew it to ~1.9 MB. */
    @Test
    void aPatchCannotCopyTheItemIntoItself() {
        InMemoryRepository repo = InMemoryRepository.create();
        InMemoryClient c = start(repo, CollectionOptions.defaults());
        String id = request(c, "POST", "{\"collection\":\"tasks\",\"item\":{\"title\":\"" + "x".repeat(40) + "\"}}")
                .at("/data/id").asText();
        StringBuilder ops = new StringBuilder("[");
        for (int i = 0; i < 15; i++) {
            ops.append(i == 0 ? "" : ",").append("{\"op\":\"copy\",\"from\":\"\",\"path\":\"/c").append(i).append("\"}");
        }
        String patch = ops.append("]").toString();
        assertThat(patch.length()).isLessThan(700);

        JsonNode reply = request(c, "PATCH", "{\"collection\":\"tasks\",\"id\":\"" + id + "\",\"patch\":" + patch + "}");

        assertThat(code(reply)).as("reply %s", reply).isEqualTo("bad_request");
        assertThat(reply.at("/error/message").asText()).contains("patch operation 0", "prefix");
        assertThat(repo.get(id).orElseThrow().size()).isEqualTo(3);
        // A copy or move into its own subtree is refused too.
        assertThat(code(request(c, "PATCH", "{\"collection\":\"tasks\",\"id\":\"" + id
                + "\",\"patch\":[{\"op\":\"add\",\"path\":\"/a\",\"value\":{}},{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/a/b\"}]}")))
                .isEqualTo("bad_request");
    }

    /** Copies that grow the item without copying into themselves (a → b, b → a/x, ...) hit the size cap. */
    @Test
    void aPatchThatGrowsTheItemStopsAtTheSizeCapAndChangesNothing() {
        InMemoryRepository repo = InMemoryRepository.create();
        InMemoryClient c = start(repo, CollectionOptions.builder().maxItemBytes(4096).build());
        String id = request(c, "POST", "{\"collection\":\"tasks\",\"item\":{\"a\":{\"s\":\"" + "y".repeat(100) + "\"}}}")
                .at("/data/id").asText();
        StringBuilder ops = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            ops.append(i == 0 ? "" : ",")
                    .append("{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/b\"},{\"op\":\"copy\",\"from\":\"/b\",\"path\":\"/a/x")
                    .append(i).append("\"}");
        }
        JsonNode reply = request(c, "PATCH", "{\"collection\":\"tasks\",\"id\":\"" + id + "\",\"patch\":" + ops + "]}");

        assertThat(code(reply)).as("reply %s", reply).isEqualTo("too_large");
        assertThat(repo.get(id).orElseThrow().path("version").asLong()).isEqualTo(1);
        assertThat(repo.get(id).orElseThrow().has("b")).isFalse();
    }

    @Test
    void tooManyPatchOperationsAndTooLargeItemsAreTooLarge() {
        InMemoryRepository repo = InMemoryRepository.create();
        InMemoryClient c = start(repo, CollectionOptions.builder().maxItemBytes(1000).maxPatchOperations(10).build());
        String id = request(c, "POST", "{\"collection\":\"tasks\",\"item\":{\"n\":0}}").at("/data/id").asText();
        StringBuilder ops = new StringBuilder("[");
        for (int i = 0; i < 11; i++) {
            ops.append(i == 0 ? "" : ",").append("{\"op\":\"replace\",\"path\":\"/n\",\"value\":").append(i).append("}");
        }
        assertThat(code(request(c, "PATCH", "{\"collection\":\"tasks\",\"id\":\"" + id + "\",\"patch\":" + ops + "]}")))
                .isEqualTo("too_large");
        String big = "{\"s\":\"" + "z".repeat(1000) + "\"}";
        assertThat(code(request(c, "POST", "{\"collection\":\"tasks\",\"item\":" + big + "}"))).isEqualTo("too_large");
        assertThat(code(request(c, "PUT", "{\"collection\":\"tasks\",\"id\":\"" + id + "\",\"item\":" + big + "}")))
                .isEqualTo("too_large");
        assertThat(code(request(c, "PATCH", "{\"collection\":\"tasks\",\"id\":\"" + id + "\",\"patch\":" + big + "}")))
                .isEqualTo("too_large");
        assertThat(repo.size()).isEqualTo(1);
        assertThat(repo.get(id).orElseThrow().path("n").asInt()).isZero();
    }

    @Test
    void theRepositoryQuotaBoundsItemCountAndSize() {
        InMemoryRepository repo = InMemoryRepository.create(Quota.of(2, 200));
        InMemoryClient c = start(repo, CollectionOptions.defaults());
        request(c, "POST", "{\"collection\":\"tasks\",\"item\":{\"n\":1}}");
        String second = request(c, "POST", "{\"collection\":\"tasks\",\"item\":{\"n\":2}}").at("/data/id").asText();

        JsonNode third = request(c, "POST", "{\"collection\":\"tasks\",\"item\":{\"n\":3}}");
        assertThat(code(third)).isEqualTo("too_large");
        assertThat(third.at("/error/message").asText()).contains("limit of 2 items");
        assertThat(code(request(c, "PUT", "{\"collection\":\"tasks\",\"id\":\"" + second + "\",\"item\":{\"s\":\""
                + "q".repeat(300) + "\"}}"))).isEqualTo("too_large");
        assertThat(repo.size()).isEqualTo(2);

        // Deleting makes room again.
        request(c, "DELETE", "{\"collection\":\"tasks\",\"id\":\"" + second + "\"}");
        assertThat(request(c, "POST", "{\"collection\":\"tasks\",\"item\":{\"n\":4}}").has("data")).isTrue();
    }

    @Test
    void theAuthorizerSeesTheCurrentAndTheProposedItem() {
        List<CrudRequest> seen = new CopyOnWriteArrayList<>();
        CrudAuthorizer owners = (conn, req) -> {
            seen.add(req);
            String me = conn.identity().userId();
            return switch (req.operation()) {
                case GET, LIST -> true;
                case POST -> me != null && me.equals(req.proposed().path("owner").asText());
                case PUT, PATCH -> req.current() != null && me != null && me.equals(req.current().path("owner").asText())
                        && req.current().path("owner").equals(req.proposed().path("owner"));
                case DELETE -> req.current() != null && me != null && me.equals(req.current().path("owner").asText());
            };
        };
        InMemoryRepository repo = InMemoryRepository.create();
        InMemoryClient alice = start(repo, CollectionOptions.builder().authorizer(owners).build());
        InMemoryClient bob = connect("bob");

        assertThat(code(request(bob, "POST", "{\"collection\":\"tasks\",\"item\":{\"title\":\"t\",\"owner\":\"alice\"}}")))
                .isEqualTo("forbidden");
        String id = request(alice, "POST", "{\"collection\":\"tasks\",\"item\":{\"title\":\"t\",\"owner\":\"alice\"}}")
                .at("/data/id").asText();
        assertThat(seen.get(seen.size() - 1).proposed().path("title").asText()).isEqualTo("t");

        String where = "\"collection\":\"tasks\",\"id\":\"" + id + "\"";
        assertThat(code(request(bob, "PATCH", "{" + where + ",\"patch\":{\"title\":\"mine\"}}"))).isEqualTo("forbidden");
        assertThat(code(request(bob, "PUT", "{" + where + ",\"item\":{\"title\":\"mine\",\"owner\":\"bob\"}}")))
                .isEqualTo("forbidden");
        assertThat(code(request(bob, "DELETE", "{" + where + "}"))).isEqualTo("forbidden");
        // The owner cannot hand the item over by patching the owner field.
        assertThat(code(request(alice, "PATCH", "{" + where + ",\"patch\":{\"owner\":\"bob\"}}"))).isEqualTo("forbidden");
        CrudRequest handOver = seen.get(seen.size() - 1);
        assertThat(handOver.current().path("owner").asText()).isEqualTo("alice");
        assertThat(handOver.proposed().path("owner").asText()).isEqualTo("bob");
        assertThat(repo.get(id).orElseThrow().path("version").asLong()).isEqualTo(1);

        assertThat(request(alice, "PATCH", "{" + where + ",\"patch\":{\"title\":\"done\"}}").at("/data/title").asText())
                .isEqualTo("done");
        assertThat(request(bob, "GET", "{" + where + "}").at("/data/title").asText()).isEqualTo("done");
        assertThat(request(alice, "DELETE", "{" + where + "}").at("/data/deleted").asBoolean()).isTrue();
        // A missing item reaches the authorizer with no current item: denied here, so no existence leak.
        assertThat(code(request(bob, "DELETE", "{" + where + "}"))).isEqualTo("forbidden");
    }
}
