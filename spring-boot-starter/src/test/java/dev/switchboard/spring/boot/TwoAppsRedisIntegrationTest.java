package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Audience;
import dev.switchboard.Switchboard;
import dev.switchboard.spring.boot.app.TestApp;
import dev.switchboard.spring.boot.actuate.SwitchboardHealthIndicator;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.EmbeddedRedis;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two Boot applications sharing a real Redis (the binary bundled in embedded-redis, started by the test)
 * through {@code switchboard.backplane}: a client of one gets what the other routes, and each sees the other
 * in its cluster. Runs with the Lettuce version Boot's dependency management picks.
 */
class TwoAppsRedisIntegrationTest {
    @RegisterExtension
    static final EmbeddedRedis REDIS = EmbeddedRedis.perTestClass();
    private ConfigurableApplicationContext a;
    private ConfigurableApplicationContext b;

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
                "switchboard.backplane=" + REDIS.uri() + "?channelPrefix=boot-test",
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
