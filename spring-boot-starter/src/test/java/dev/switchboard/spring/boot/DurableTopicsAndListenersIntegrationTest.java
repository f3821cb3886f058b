package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Audience;
import dev.switchboard.Connection;
import dev.switchboard.EventListener;
import dev.switchboard.Switchboard;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.SubscribeResult;
import dev.switchboard.spring.boot.app.TestApp;
import dev.switchboard.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Durable topics declared in properties, configurers run in {@code @Order}, and every {@link EventListener}
 * bean called (beside the Micrometer binding).
 */
@SpringBootTest(classes = {TestApp.class, DurableTopicsAndListenersIntegrationTest.Extra.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
                "switchboard.durable-topics[0].topic=public.orders:*",
                "switchboard.durable-topics[0].max-messages=10",
                "switchboard.durable-topics[0].max-age=1h"})
class DurableTopicsAndListenersIntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    Switchboard board;
    @Autowired
    Extra extra;

    @Test
    void aTopicDeclaredDurableInPropertiesIsRecoveredAfterAGap() throws Exception {
        try (Recorder alice = Recorder.connect(Recorder.options(port, "alice").build())) {
            SubscribeResult first = alice.client.subscribe("public.orders:7", SubscribeOptions.defaults())
                    .get(30, TimeUnit.SECONDS);
            assertThat(first.position()).as("a durable topic has a position").isNotNull();
            board.to(Audience.topic("public.orders:7")).emit("status", "paid");
            board.to(Audience.topic("public.orders:7")).emit("status", "shipped");
            alice.client.unsubscribe("public.orders:7").get(30, TimeUnit.SECONDS);

            List<String> replayed = new CopyOnWriteArrayList<>();
            SubscribeResult again = alice.client.subscribe("public.orders:7", ev -> replayed.add(ev.data().asText()),
                    SubscribeOptions.builder().since(first.position()).build()).get(30, TimeUnit.SECONDS);
            assertThat(again.recovered()).isTrue();
            Await.until(Duration.ofSeconds(30), () -> replayed.size() >= 2, "the two missed events");
            assertThat(replayed).containsExactly("paid", "shipped");
        }
    }

    @Test
    void configurersRunInOrderAndEveryListenerBeanIsCalled() throws Exception {
        assertThat(extra.order).containsExactly("first", "second");
        try (Recorder alice = Recorder.connect(Recorder.options(port, "alice").build(), "greeting")) {
            alice.next();
            assertThat(extra.opened).containsExactly("listener-a", "listener-b");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Extra {
        final List<String> order = new ArrayList<>();
        final List<String> opened = new CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        SwitchboardConfigurer second() {
            return board -> order.add("second");
        }

        @Bean
        @Order(1)
        SwitchboardConfigurer first() {
            return board -> order.add("first");
        }

        @Bean
        @Order(1)
        EventListener listenerA() {
            return new EventListener() {
                @Override
                public void connectionOpened(Connection connection) {
                    opened.add("listener-a");
                }
            };
        }

        @Bean
        @Order(2)
        EventListener listenerB() {
            return new EventListener() {
                @Override
                public void connectionOpened(Connection connection) {
                    opened.add("listener-b");
                }
            };
        }
    }
}
