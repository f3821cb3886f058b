package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.Handshake;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registry and router: every audience form resolved against live connections. */
class RoutingTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private Switchboard board;
    private InMemoryTransport transport;
    private InMemoryClient alice;
    private InMemoryClient alice2;
    private InMemoryClient bob;
    private InMemoryClient carol;
    private InMemoryClient anon;

    @BeforeEach
    void setUp() {
        Map<String, Identity> users = Map.of(
                "alice", Identity.builder("alice").roles("admin").organisations("acme").build(),
                "bob", Identity.builder("bob").roles("user").organisations("acme").build(),
                "carol", Identity.builder("carol").roles("admin").organisations("globex").build());
        board = Switchboard.builder()
                .authenticator(h -> h.bearerToken() == null ? Identity.anonymous() : users.get(h.bearerToken()))
                .build();
        transport = InMemoryTransport.attach(board);
        alice = connect("alice");
        alice2 = connect("alice");
        bob = connect("bob");
        carol = connect("carol");
        anon = connect(null);
    }

    @AfterEach
    void tearDown() {
        board.close();
    }

    private InMemoryClient connect(String token) {
        Handshake h = new Handshake("/ws", token == null ? Map.of() : Map.of("access_token", List.of(token)),
                Map.of(), List.of(), null);
        InMemoryClient c = transport.connect(h);
        assertThat(c.nextFrame(WAIT).get("type").asText()).isEqualTo("welcome");
        return c;
    }

    private void assertReceives(Audience audience, InMemoryClient... expected) {
        int n = board.to(audience).emit("note", "hi");
        assertThat(n).as("local recipients of %s", audience).isEqualTo(expected.length);
        for (InMemoryClient c : List.of(alice, alice2, bob, carol, anon)) {
            boolean shouldGet = List.of(expected).contains(c);
            JsonNode f = c.pollFrame();
            if (shouldGet) {
                assertThat(f).as("frame for expected recipient").isNotNull();
                assertThat(f.get("event").asText()).isEqualTo("note");
                assertThat(f.get("data").asText()).isEqualTo("hi");
            } else {
                assertThat(f).as("no frame for a non-recipient of %s", audience).isNull();
            }
        }
    }

    @Test
    void routesToEveryAudienceForm() {
        assertReceives(Audience.everyone(), alice, alice2, bob, carol, anon);
        assertReceives(Audience.user("alice"), alice, alice2);
        assertReceives(Audience.user("alice", "carol"), alice, alice2, carol);
        assertReceives(Audience.organisations("acme"), alice, alice2, bob);
        assertReceives(Audience.organisations("acme").roles("admin"), alice, alice2);
        assertReceives(Audience.organisations("acme", "globex").roles("admin"), alice, alice2, carol);
        assertReceives(Audience.withRoles("admin"), alice, alice2, carol);
        assertReceives(Audience.everyone().exceptUsers("alice"), bob, carol, anon);
        assertReceives(Audience.user("nobody"));
    }

    @Test
    void routesToConnectionsAndTopicsAndExceptConnections() {
        Connection bobConn = board.connections().stream()
                .filter(c -> "bob".equals(c.identity().userId())).findFirst().orElseThrow();
        Connection carolConn = board.connections().stream()
                .filter(c -> "carol".equals(c.identity().userId())).findFirst().orElseThrow();
        assertReceives(Audience.connection(bobConn.id()), bob);
        bobConn.join("lobby");
        carolConn.join("lobby");
        assertReceives(Audience.topic("lobby"), bob, carol);
        assertReceives(Audience.topic("lobby").exceptConnections(carolConn.id()), bob);
        bobConn.leave("lobby");
        assertReceives(Audience.topic("lobby"), carol);
    }

    @Test
    void topicEventsNameTheirTopic() {
        board.connections().forEach(c -> c.join("news"));
        board.to(Audience.topic("news")).emit("headline", Map.of("title", "x"));
        JsonNode f = bob.nextFrame(WAIT);
        assertThat(f.get("topic").asText()).isEqualTo("news");
        assertThat(f.get("data").get("title").asText()).isEqualTo("x");
    }

    @Test
    void closedConnectionsLeaveEveryIndex() throws Exception {
        Connection bobConn = board.connections().stream()
                .filter(c -> "bob".equals(c.identity().userId())).findFirst().orElseThrow();
        bobConn.join("lobby");
        bob.close();
        assertThat(board.connectionCount()).isEqualTo(4);
        assertThat(board.to(Audience.user("bob")).emit("x", 1)).isZero();
        assertThat(board.to(Audience.topic("lobby")).emit("x", 1)).isZero();
        assertThat(board.to(Audience.withRoles("user")).emit("x", 1)).isZero();
        assertThat(bobConn.state()).isEqualTo(Connection.State.CLOSED);
        bobConn.join("lobby"); // joining after close is a no-op, not a leak
        assertThat(board.to(Audience.topic("lobby")).emit("x", 1)).isZero();
    }
}
