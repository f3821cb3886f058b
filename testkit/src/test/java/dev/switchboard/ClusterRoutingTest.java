package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.backplane.InMemoryBackplane;
import dev.switchboard.spi.Handshake;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three nodes on one in-memory bus, a client on each: routing crosses nodes, exactly once. */
class ClusterRoutingTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private final List<Switchboard> nodes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        nodes.forEach(Switchboard::close);
    }

    @Test
    void messagesReachMatchingConnectionsOnEveryNodeOnce() throws Exception {
        InMemoryBackplane.Bus bus = InMemoryBackplane.bus();
        List<InMemoryClient> clients = new ArrayList<>();
        String[] users = {"alice", "bob", "carol"};
        for (int i = 0; i < 3; i++) {
            Switchboard node = Switchboard.builder()
                    .options(SwitchboardOptions.builder().nodeId("n" + i).build())
                    .backplane(bus.backplane())
                    .authenticator(h -> Identity.user(h.bearerToken()))
                    .build();
            node.onConnect(conn -> conn.join("room"));
            nodes.add(node);
            InMemoryClient c = InMemoryTransport.attach(node).connect(new Handshake("/ws",
                    Map.of("access_token", List.of(users[i])), Map.of(), List.of(), null));
            assertThat(c.nextFrame(WAIT).get("node").asText()).isEqualTo("n" + i);
            clients.add(c);
        }
        awaitJoined();

        nodes.get(0).to(Audience.user("carol")).emit("dm", "for carol");
        JsonNode f = clients.get(2).nextFrame(WAIT);
        assertThat(f.get("data").asText()).isEqualTo("for carol");

        nodes.get(1).to(Audience.topic("room").exceptUsers("bob")).emit("say", "hi");
        assertThat(clients.get(0).nextFrame(WAIT).get("data").asText()).isEqualTo("hi");
        assertThat(clients.get(2).nextFrame(WAIT).get("data").asText()).isEqualTo("hi");

        nodes.get(2).to(Audience.everyone()).emit("all", 1);
        for (InMemoryClient c : clients) {
            assertThat(c.nextFrame(WAIT).get("event").asText()).isEqualTo("all");
        }
        nodes.get(0).to(Audience.everyone()).local().emit("local", 1);
        assertThat(clients.get(0).nextFrame(WAIT).get("event").asText()).isEqualTo("local");
        // A final broadcast proves nothing else (duplicates, the local-only message) was queued before it.
        nodes.get(1).to(Audience.everyone()).emit("marker", 1);
        for (InMemoryClient c : clients) {
            assertThat(c.nextFrame(WAIT).get("event").asText()).isEqualTo("marker");
            assertThat(c.pollFrame()).isNull();
        }
    }

    private void awaitJoined() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (nodes.stream().anyMatch(n -> n.connections().stream().anyMatch(c -> c.topics().isEmpty()))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("connect handlers did not run");
            }
            Thread.onSpinWait();
        }
    }
}
