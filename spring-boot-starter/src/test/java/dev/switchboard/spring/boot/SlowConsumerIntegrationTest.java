package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Audience;
import dev.switchboard.Connection;
import dev.switchboard.EventListener;
import dev.switchboard.Switchboard;
import dev.switchboard.spring.boot.app.TestApp;
import dev.switchboard.testkit.Await;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Backpressure through the bridge: a client that stops reading is closed as a slow consumer once its backlog
 * passes {@code max-queued-bytes}, instead of the node buffering without bound. The container's write only
 * completes when the bytes left, so the core's outbound queue sees the real backlog. On every container.
 */
@Tag("containers")
@SpringBootTest(classes = {TestApp.class, SlowConsumerIntegrationTest.Slow.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"switchboard.max-queued-bytes=262144", "switchboard.max-frame-bytes=65536"})
class SlowConsumerIntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    Switchboard board;
    @Autowired
    Slow slow;

    @Test
    void aClientThatStopsReadingIsClosedAsASlowConsumer() throws Exception {
        try (Socket silent = RawHttp.upgradedSocket(port, "/ws?access_token=sloth")) {
            Await.until(Duration.ofSeconds(30), () -> board.connectionCount() == 1, "the silent client's connection");
            String chunk = "x".repeat(60_000);
            // far more than the kernel's socket buffers hold, so writes stop completing and the backlog grows
            for (int i = 0; i < 600 && slow.slowConsumers.isEmpty(); i++) {
                board.to(Audience.user("sloth")).emit("flood", chunk);
            }
            Await.until(Duration.ofSeconds(30), () -> !slow.slowConsumers.isEmpty(), "the slow-consumer verdict");
            assertThat(slow.slowConsumers).containsExactly("sloth");
            Await.until(Duration.ofSeconds(30), () -> board.connectionCount() == 0, "the slow connection to be gone");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Slow {
        final List<String> slowConsumers = new CopyOnWriteArrayList<>();

        @Bean
        EventListener slowConsumers() {
            return new EventListener() {
                @Override
                public void slowConsumer(Connection connection) {
                    slowConsumers.add(connection.identity().userId());
                }
            };
        }
    }
}
