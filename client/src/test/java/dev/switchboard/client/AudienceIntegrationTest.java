package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Audience;
import dev.switchboard.spi.SubscriptionPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every audience form, routed by a real server to real clients whose identities come from their
 * bearer tokens. After each message the test sends a marker to everyone: what a client received before
 * the marker is exactly what it was sent, so absence is proven without waiting for a timeout.
 */
class AudienceIntegrationTest {
    private static TestServer server;
    private static final Map<String, RecordingClient> clients = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.subscriptionPolicy(SubscriptionPolicy.allowPrefixes("lobby")));
        server.board().onConnect(conn -> {
            if ("bob".equals(conn.identity().userId())) {
                conn.join("lobby");
            }
        });
        connect("alice", "alice:admin:acme");
        connect("alice2", "alice:admin:acme"); // alice's second connection
        connect("bob", "bob:member:acme");
        connect("carol", "carol:admin:globex");
        connect("anon", null);
    }

    private static void connect(String name, String token) {
        clients.put(name, RecordingClient.connect(server.clientOptions(token).build(), "msg", "marker"));
    }

    @AfterAll
    static void stop() {
        clients.values().forEach(RecordingClient::close);
        server.close();
    }

    /** Sends "msg" to the audience, then the marker to everyone; returns who got "msg". */
    private static Set<String> recipients(Audience audience) {
        int queued = server.board().to(audience).emit("msg", "hello");
        server.board().to(Audience.everyone()).emit("marker", null);
        Set<String> got = new TreeSet<>();
        clients.forEach((name, c) -> {
            var before = c.untilMarker("marker");
            assertThat(before).allSatisfy(r -> assertThat(r.data().asText()).isEqualTo("hello"));
            assertThat(before).as("%s received at most one copy", name).hasSizeLessThanOrEqualTo(1);
            if (!before.isEmpty()) {
                got.add(name);
            }
        });
        assertThat(got).hasSize(queued);
        return got;
    }

    private static String id(String name) {
        return clients.get(name).client.connectionId();
    }

    @Test
    void everyone() {
        assertThat(recipients(Audience.everyone())).containsExactly("alice", "alice2", "anon", "bob", "carol");
    }

    @Test
    void oneConnection() {
        assertThat(recipients(Audience.connection(id("carol")))).containsExactly("carol");
    }

    @Test
    void everyConnectionOfAUser() {
        assertThat(recipients(Audience.user("alice"))).containsExactly("alice", "alice2");
    }

    @Test
    void aTopicTheServerJoined() {
        assertThat(recipients(Audience.topic("lobby"))).containsExactly("bob");
    }

    @Test
    void anOrganisation() {
        assertThat(recipients(Audience.organisations("acme"))).containsExactly("alice", "alice2", "bob");
    }

    @Test
    void rolesWithinAnOrganisation() {
        assertThat(recipients(Audience.organisations("acme").roles("admin"))).containsExactly("alice", "alice2");
    }

    @Test
    void aRoleInAnyOrganisation() {
        assertThat(recipients(Audience.withRoles("admin"))).containsExactly("alice", "alice2", "carol");
    }

    @Test
    void everyoneExceptAConnection() {
        assertThat(recipients(Audience.everyone().exceptConnections(id("alice"))))
                .containsExactly("alice2", "anon", "bob", "carol");
    }

    @Test
    void everyoneExceptAUser() {
        assertThat(recipients(Audience.everyone().exceptUsers("alice"))).containsExactly("anon", "bob", "carol");
    }

    @Test
    void aBroadcastToATopicReachesSeveralClients() {
        clients.get("carol").client.subscribe("lobby").join();
        try {
            assertThat(recipients(Audience.topic("lobby"))).containsExactly("bob", "carol");
        } finally {
            clients.get("carol").client.unsubscribe("lobby").join();
        }
    }
}
