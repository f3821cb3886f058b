package dev.switchboard.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.BackplaneException;
import dev.switchboard.Identity;
import dev.switchboard.MutableClock;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.backplane.InMemoryBackplane;
import dev.switchboard.backplane.LocalBackplane;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryRead;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The node's emit service: seed 002's audiences on real connections, de-duplication by id. */
class EmitServiceTest {
    /** The seed's broadcast body (as in core's EmitMessageTest). */
    private static final String SEED_BODY = """
            {"id":"message-id","type":"notifications.drawer","broadcast":true,"users":[],"roles":[],\
            "organizations":[],"payload":{"title":"New notification","description":"Some longer body"}}""";

    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, Identity> USERS = Map.of(
            "alice", Identity.builder("alice").roles("admin").organisations("acme").build(),
            "bob", Identity.builder("bob").roles("member").organisations("acme").build(),
            "carol", Identity.builder("carol").roles("admin").organisations("globex").build(),
            "dave", Identity.builder("dave").build());
    private final MutableClock clock = new MutableClock();
    private Switchboard board;
    private InMemoryTransport transport;

    @AfterEach
    void tearDown() {
        if (board != null) {
            board.close();
        }
    }

    private void start(Switchboard.Builder builder) {
        board = builder.clock(clock)
                .authenticator(h -> USERS.getOrDefault(h.bearerToken(), Identity.anonymous()))
                .options(SwitchboardOptions.builder().heartbeat(Duration.ofHours(1)).build())
                .build();
        transport = InMemoryTransport.attach(board);
    }

    private InMemoryClient connect(String user) {
        InMemoryClient c = transport.connect(new Handshake("/ws", Map.of("access_token", List.of(user)), Map.of(),
                List.of(), null));
        assertThat(c.nextFrame(WAIT).path("type").asText()).isEqualTo("welcome");
        return c;
    }

    private static EmitMessage message(String json) {
        return EmitMessage.fromJson(json.getBytes(StandardCharsets.UTF_8), MAPPER);
    }

    @Test
    void theSeedBodyReachesEveryoneWithItsIdAndTime() {
        start(Switchboard.builder());
        InMemoryClient alice = connect("alice");
        InMemoryClient dave = connect("dave");

        EmitResult r = board.emitService().accept(message(SEED_BODY));

        assertThat(r).isEqualTo(new EmitResult("message-id", false, 2));
        for (InMemoryClient c : List.of(alice, dave)) {
            JsonNode f = c.nextFrame(WAIT);
            assertThat(f.path("event").asText()).isEqualTo("notifications.drawer");
            assertThat(f.path("id").asText()).isEqualTo("message-id");
            assertThat(f.path("time").asText()).isEqualTo(clock.instant().toString());
            assertThat(f.path("data").path("description").asText()).isEqualTo("Some longer body");
            assertThat(f.has("topic")).isFalse();
        }
    }

    @Test
    void rolesApplyWithinOrganisationsAndAudiencesAreAUnion() {
        start(Switchboard.builder());
        InMemoryClient alice = connect("alice");
        InMemoryClient bob = connect("bob");
        InMemoryClient carol = connect("carol");
        InMemoryClient dave = connect("dave");

        board.emitService().accept(message(
                "{\"id\":\"1\",\"type\":\"n\",\"roles\":[\"admin\"],\"organizations\":[\"acme\"],\"users\":[\"dave\"]}"));

        assertThat(alice.nextFrame(WAIT).path("id").asText()).isEqualTo("1");
        assertThat(dave.nextFrame(WAIT).path("id").asText()).isEqualTo("1");
        assertThat(bob.pollFrame()).as("a member of acme, not an admin").isNull();
        assertThat(carol.pollFrame()).as("an admin of globex").isNull();

        board.emitService().accept(message("{\"id\":\"2\",\"type\":\"n\",\"organizations\":[\"acme\",\"globex\"]}"));
        for (InMemoryClient c : List.of(alice, bob, carol)) {
            assertThat(c.nextFrame(WAIT).path("id").asText()).isEqualTo("2");
        }
        assertThat(dave.pollFrame()).isNull();
    }

    @Test
    void theSameIdIsDeliveredOnceWithinTheWindow() {
        start(Switchboard.builder().emitOptions(EmitOptions.defaults().withDedupWindow(Duration.ofMinutes(1))));
        InMemoryClient alice = connect("alice");
        EmitMessage m = message("{\"id\":\"once\",\"type\":\"n\",\"users\":[\"alice\"]}");

        assertThat(board.emitService().accept(m).duplicate()).isFalse();
        assertThat(board.emitService().accept(m)).isEqualTo(new EmitResult("once", true, 0));
        assertThat(alice.nextFrame(WAIT).path("id").asText()).isEqualTo("once");
        assertThat(alice.pollFrame()).as("the repeat was not delivered").isNull();

        clock.advance(Duration.ofMinutes(1));
        assertThat(board.emitService().accept(m).duplicate()).isFalse();
        assertThat(alice.nextFrame(WAIT).path("id").asText()).isEqualTo("once");
    }

    @Test
    void aMessageThatCouldNotBeStoredIsForgottenSoARetryGetsThrough() {
        History failing = new History() {
            @Override
            public CompletableFuture<StreamPosition> append(String topic, byte[] message, Retention retention) {
                return CompletableFuture.failedFuture(new IllegalStateException("store down"));
            }

            @Override
            public CompletableFuture<HistoryRead> read(String topic, long afterOffset, int limit) {
                return CompletableFuture.failedFuture(new IllegalStateException("store down"));
            }
        };
        start(Switchboard.builder().backplane(new LocalBackplane(failing)));
        board.durableTopic("orders", Retention.lastValue());
        EmitMessage m = message("{\"id\":\"x\",\"type\":\"n\",\"topics\":[\"orders\"]}");

        assertThatThrownBy(() -> board.emitService().accept(m)).isInstanceOf(BackplaneException.class);
        assertThatThrownBy(() -> board.emitService().accept(m)).as("not a duplicate: the first never got through")
                .isInstanceOf(BackplaneException.class);
    }
    @Test
    void acceptLocallyReachesOnlyThisNodesConnectionsAndSharesTheWindow() {
        InMemoryBackplane.Bus bus = InMemoryBackplane.bus();
        start(Switchboard.builder().backplane(bus.backplane()));
        Switchboard other = Switchboard.builder().backplane(bus.backplane())
                .authenticator(h -> USERS.getOrDefault(h.bearerToken(), Identity.anonymous())).build();
        try {
            InMemoryClient here = connect("alice");
            InMemoryClient there = InMemoryTransport.attach(other).connect(new Handshake("/ws",
                    Map.of("access_token", List.of("alice")), Map.of(), List.of(), null));
            assertThat(there.nextFrame(WAIT).path("type").asText()).isEqualTo("welcome");

            EmitResult local = board.emitService().acceptLocally(message("{\"id\":\"l1\",\"type\":\"n\",\"users\":[\"alice\"]}"));
            assertThat(local).isEqualTo(new EmitResult("l1", false, 1));
            assertThat(board.emitService().acceptLocally(message("{\"id\":\"l1\",\"type\":\"n\",\"users\":[\"alice\"]}"))
                    .duplicate()).isTrue();
            assertThat(board.emitService().accept(message("{\"id\":\"l1\",\"type\":\"n\",\"users\":[\"alice\"]}"))
                    .duplicate()).as("one window for both").isTrue();
            board.emitService().accept(message("{\"id\":\"g2\",\"type\":\"n\",\"users\":[\"alice\"]}"));

            assertThat(here.nextFrame(WAIT).path("id").asText()).isEqualTo("l1");
            assertThat(here.nextFrame(WAIT).path("id").asText()).isEqualTo("g2");
            // The backplane keeps one node's order: had l1 been published, it would arrive before g2.
            assertThat(there.nextFrame(WAIT).path("id").asText()).isEqualTo("g2");
            assertThat(there.pollFrame()).isNull();
        } finally {
            other.close();
        }
    }
}
