package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.Execution;
import dev.switchboard.Retention;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.backplane.InMemoryBackplane;
import dev.switchboard.spi.SubscriptionPolicy;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real JavaScript client (in Node.js, with its built-in WebSocket) against real Switchboard nodes:
 * a client subscribed to a durable topic loses its node, events are published meanwhile on another
 * node, a third node takes the first one's address, and the client resumes there with no gap and no
 * duplicate ({@code src/test/resources/js/durable-resume.mjs} does the client side and its checks).
 */
class JsDurableResumeTest {
    private static final String TOPIC = "orders:7";
    private final InMemoryBackplane.Bus bus = InMemoryBackplane.bus();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final java.util.concurrent.CompletableFuture<Void> failover = new java.util.concurrent.CompletableFuture<>();
    private int port;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private Switchboard node(String id) {
        Switchboard n = Switchboard.builder()
                .options(SwitchboardOptions.builder().nodeId(id).build())
                .backplane(bus.backplane())
                .subscriptionPolicy(SubscriptionPolicy.allowAll())
                .build();
        n.durableTopic("orders:*", Retention.lastMessages(100));
        n.onRequest("publish", JsonNode.class, (conn, data) ->
                n.to(Audience.topic(TOPIC)).emit("status", data.asText()));
        resources.add(n);
        return n;
    }

    private JettyTransport serve(Switchboard n) {
        JettyTransport t = JettyTransport.start(n, JettyTransportOptions.builder().host("127.0.0.1").port(port)
                .stopTimeout(Duration.ofMillis(300)).build());
        resources.add(t);
        return t;
    }

    @Test
    void theJavaScriptClientResumesOnAnotherNode() throws Exception {
        String node = NodeJs.find();
        assumeTrue(node != null, "Node.js is not installed: skipping the JS client's end-to-end test");
        Path clientJs = Path.of("..", "client-js", "switchboard.js").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(clientJs), "client-js/switchboard.js not found next to examples/");

        Switchboard a = node("node-a");
        Switchboard b = node("node-b");
        JettyTransport onA = serve(a);
        port = onA.port();
        a.onRequest("failover", JsonNode.class, (conn, data) -> {
            // Off the request's thread: node A goes away, B publishes, C takes A's address.
            new Thread(() -> {
                try {
                    onA.close();
                    a.close();
                    b.to(Audience.topic(TOPIC)).emit("status", "shipped");
                    b.to(Audience.topic(TOPIC)).emit("status", "delivered");
                    serve(node("node-c"));
                } catch (RuntimeException e) {
                    failover.completeExceptionally(e);
                    return;
                }
                failover.complete(null);
            }, "failover").start();
            return true;
        }, Execution.INLINE);

        Path log = Files.createTempFile("js-durable", ".log");
        Process p = new ProcessBuilder(node, "--experimental-websocket", script().toString(),
                clientJs.toUri().toString(), "ws://127.0.0.1:" + port + "/ws")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = p.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(failover).as("the failover").isCompleted();
        assertThat(finished).as("the script finished in time:%n%s", output).isTrue();
        assertThat(p.exitValue()).as("script output:%n%s", output).isZero();
        assertThat(output).contains("{\"ok\":true}");
    }

    private static Path script() throws URISyntaxException {
        return Path.of(JsDurableResumeTest.class.getResource("/js/durable-resume.mjs").toURI());
    }
}
