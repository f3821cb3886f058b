package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.Audience;
import dev.switchboard.Switchboard;
import dev.switchboard.spring.boot.app.TestApp;
import dev.switchboard.spring.boot.actuate.SwitchboardHealthIndicator;
import dev.switchboard.testkit.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import redis.embedded.RedisServer;

/**
 * Two Boot applications sharing a real Redis (the binary bundled in embedded-redis, started by the test)
 * through {@code switchboard.backplane}: a client of one gets what the other routes, and each sees the other
 * in its cluster. Runs with the Lettuce version Boot's dependency management picks.
 */
class TwoAppsRedisIntegrationTest {
    private static RedisServer redis;
    private static int redisPort;
    private ConfigurableApplicationContext a;
    private ConfigurableApplicationContext b;

    @BeforeAll
    static void startRedis() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            redisPort = s.getLocalPort();
        }
        try {
            redis = new RedisServer(redisPort);
            redis.start();
        } catch (IOException | RuntimeException e) {
            redis = null;
        }
        assumeTrue(redis != null, "the Redis binary bundled in embedded-redis does not run here");
    }

    @AfterAll
    static void stopRedis() throws IOException {
        if (redis != null) {
            redis.stop();
        }
    }

    @AfterEach
    void closeApps() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private ConfigurableApplicationContext app(String node) {
        return new SpringApplicationBuilder(TestApp.class).properties(
                "server.port=0",
                "switchboard.node-id=" + node,
                "switchboard.backplane=redis://127.0.0.1:" + redisPort + "?channelPrefix=boot-test",
                "switchboard.cluster-heartbeat=200ms").run();
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((ServletWebServerApplicationContext) context).getWebServer().getPort();
    }

    @Test
    void aClientOfOneAppGetsWhatTheOtherRoutes() throws Exception {
        a = app("boot-a");
        b = app("boot-b");
        Switchboard onB = b.getBean(Switchboard.class);
        try (Recorder alice = Recorder.connect(Recorder.options(port(a), "alice").build(), "greeting", TestApp.MESSAGE, "notice");
             Recorder bob = Recorder.connect(Recorder.options(port(b), "bob").build(), "greeting", TestApp.MESSAGE)) {
            alice.assertEvent("greeting", "hi alice");
            bob.assertEvent("greeting", "hi bob");

            // a chat line sent on B reaches the lobby on A
            bob.client.emit("chat.send", "hello across");
            alice.assertEvent(TestApp.MESSAGE, "bob: hello across");
            bob.assertEvent(TestApp.MESSAGE, "bob: hello across");

            // the application on B pushes to a user connected to A
            onB.to(Audience.user("alice")).emit("notice", "from b");
            alice.assertEvent("notice", "from b");
        }
        SwitchboardHealthIndicator health = a.getBean(SwitchboardHealthIndicator.class);
        Await.until(Duration.ofSeconds(30),
                () -> a.getBean(Switchboard.class).cluster().nodes().equals(Set.of("boot-a", "boot-b")), "both nodes");
        assertThat(health.health().getDetails().get("cluster")).isEqualTo(
                Map.of("nodes", java.util.List.of("boot-a", "boot-b"), "rejected", 0L, "untrusted", 0L));
        assertThat(((Map<?, ?>) health.health().getDetails().get("backplane")).get("name")).isEqualTo("redis");
    }
}
