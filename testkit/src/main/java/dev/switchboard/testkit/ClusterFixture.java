package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ClusterTrust;
import dev.switchboard.DuplicateNodeIdAction;
import dev.switchboard.Identity;
import dev.switchboard.Retention;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.Handshake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Several Switchboard nodes on one backplane server, each with an in-memory transport, and clients
 * connected to them: the cluster-level half of {@link BackplaneCompatibilityKit}. Nodes send cluster
 * heartbeats every 200 ms; every topic may be subscribed; topics {@code durable:*} keep 100 messages,
 * {@code short:*} keep 3 and {@code lv:*} are last-value topics.
 *
 * <p>A client's token names its identity: {@code alice}, or {@code alice;roles=admin,ops;orgs=acme}.
 */
public final class ClusterFixture implements AutoCloseable {
    private static final AtomicLong IDS = new AtomicLong();

    private final Supplier<Backplane> backplanes;
    private final String run;
    private final Duration timeout;
    private final ClusterTrust trust;
    private final List<Switchboard> nodes = new ArrayList<>();
    private final List<Backplane> nodeBackplanes = new ArrayList<>();
    private final List<InMemoryTransport> transports = new ArrayList<>();
    private final List<InMemoryClient> clients = new ArrayList<>();

    /**
     * @param backplanes creates a new, unstarted backplane on the shared server
     * @param run a string that makes node ids unique to this test run
     * @param timeout how long deliveries may take
     */
    public ClusterFixture(Supplier<Backplane> backplanes, String run, Duration timeout) {
        this(backplanes, run, timeout, ClusterTrust.none());
    }

    /**
     * @param backplanes creates a new, unstarted backplane on the shared server
     * @param run a string that makes node ids unique to this test run
     * @param timeout how long deliveries may take
     * @param trust the cluster keys of the nodes {@link #startNode()} starts
     */
    public ClusterFixture(Supplier<Backplane> backplanes, String run, Duration timeout, ClusterTrust trust) {
        this.backplanes = backplanes;
        this.run = run;
        this.timeout = timeout;
        this.trust = trust;
    }

    /**
     * Starts one more node.
     *
     * @return its index
     */
    public int startNode() {
        return startNode(trust);
    }

    /**
     * Starts one more node with its own cluster keys.
     *
     * @param keys the node's cluster keys
     * @return its index
     */
    public int startNode(ClusterTrust keys) {
        return startNode("kit-" + run + "-n" + nodes.size() + "-" + IDS.incrementAndGet(), DuplicateNodeIdAction.STOP,
                keys);
    }

    /**
     * Starts one more node with a given id (for the duplicate-id tests, the id of another node).
     *
     * @param nodeId the node's id
     * @param onDuplicate what it does when another live node has the same id
     * @return its index
     */
    public int startNode(String nodeId, DuplicateNodeIdAction onDuplicate) {
        return startNode(nodeId, onDuplicate, trust);
    }

    private int startNode(String nodeId, DuplicateNodeIdAction onDuplicate, ClusterTrust keys) {
        Backplane b = backplanes.get();
        int index = nodes.size();
        Switchboard node = Switchboard.builder()
                .options(SwitchboardOptions.builder()
                        .nodeId(nodeId)
                        .onDuplicateNodeId(onDuplicate)
                        .clusterHeartbeat(Duration.ofMillis(200))
                        .clusterQueryTimeout(Duration.ofMillis(1500))
                        .historyTimeout(timeout)
                        .rateLimit(0)
                        .build())
                .backplane(b)
                .clusterTrust(keys)
                .authenticator(ClusterFixture::identity)
                .subscriptionPolicy((conn, topic) -> true)
                .build();
        node.durableTopic("durable:*", Retention.lastMessages(100));
        node.durableTopic("short:*", Retention.lastMessages(3));
        node.durableTopic("lv:*", Retention.lastValue());
        nodes.add(node);
        nodeBackplanes.add(b);
        transports.add(InMemoryTransport.attach(node));
        return index;
    }

    /** @param index a node's index @return the node */
    public Switchboard node(int index) {
        return nodes.get(index);
    }

    /**
     * @param index a node's index
     * @return its backplane adapter (closing it cuts the node off, as a crash would)
     */
    public Backplane backplane(int index) {
        return nodeBackplanes.get(index);
    }

    /** Waits until every node's backplane is up and every node knows every other. */
    public void awaitCluster() {
        for (Switchboard n : nodes) {
            Await.until(timeout, () -> n.backplaneHealth().up(), n.nodeId() + "'s backplane up");
        }
        for (Switchboard n : nodes) {
            Await.until(timeout, () -> n.cluster().nodes().size() == nodes.size(),
                    n.nodeId() + " sees all " + nodes.size() + " nodes (sees " + n.cluster().nodes() + ")");
        }
    }

    /**
     * Connects a client and reads its welcome.
     *
     * @param node the node's index
     * @param token the identity, e.g. {@code alice;roles=admin;orgs=acme}
     * @return the client
     */
    public InMemoryClient connect(int node, String token) {
        InMemoryClient c = transports.get(node).connect(new Handshake("/ws",
                Map.of("access_token", List.of(token)), Map.of(), List.of(), null));
        JsonNode welcome = c.nextFrame(timeout);
        assertThat(welcome.path("type").asText()).isEqualTo("welcome");
        clients.add(c);
        return c;
    }

    /**
     * Subscribes a client and returns the reply's data.
     *
     * @param client the client
     * @param topic the topic
     * @param since {@code null}, or the JSON of a since object
     * @return the subscribe reply's data
     */
    public JsonNode subscribe(InMemoryClient client, String topic, String since) {
        long id = IDS.incrementAndGet();
        client.send("{\"type\":\"subscribe\",\"id\":" + id + ",\"topic\":\"" + topic + "\""
                + (since == null ? "" : ",\"since\":" + since) + "}");
        JsonNode reply = nextOfType(client, "reply");
        assertThat(reply.path("id").asLong()).isEqualTo(id);
        assertThat(reply.has("error")).as("subscribe error: %s", reply).isFalse();
        return reply.path("data");
    }

    /**
     * @param client a client
     * @param type a frame type
     * @return the next frame, which must be of that type (pings are skipped)
     */
    public JsonNode nextOfType(InMemoryClient client, String type) {
        JsonNode f = client.nextFrame(timeout);
        while ("ping".equals(f.path("type").asText())) {
            f = client.nextFrame(timeout);
        }
        assertThat(f.path("type").asText()).as("frame %s", f).isEqualTo(type);
        return f;
    }

    /**
     * Asserts that a client receives nothing more (but pings) for a short while: used after the
     * expected frames to prove there was no duplicate.
     *
     * @param client the client
     */
    public void assertNothingMore(InMemoryClient client) {
        long deadline = System.nanoTime() + Duration.ofMillis(400).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode f = client.pollFrame();
            if (f != null && !"ping".equals(f.path("type").asText())) {
                throw new AssertionError("unexpected frame: " + f);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }

    /** @return how many nodes were started */
    public int size() {
        return nodes.size();
    }

    private static Identity identity(Handshake handshake) {
        String token = handshake.bearerToken();
        if (token == null || token.isBlank()) {
            return Identity.anonymous();
        }
        String[] parts = token.split(";");
        Identity.Builder b = Identity.builder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            String[] values = kv.length < 2 || kv[1].isBlank() ? new String[0] : kv[1].split(",");
            if (kv[0].equals("roles")) {
                b.roles(values);
            } else if (kv[0].equals("orgs")) {
                b.organisations(values);
            }
        }
        return b.build();
    }

    @Override
    public void close() {
        for (InMemoryClient c : clients) {
            try {
                c.close();
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
        for (Switchboard n : nodes) {
            try {
                n.close();
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
    }
}
