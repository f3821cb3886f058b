package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Audience;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.SubscriptionPolicy;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client subscriptions against a server whose policy opens only {@code public.*} topics. */
class SubscriptionIntegrationTest {
    private static final Duration WAIT = RecordingClient.WAIT;
    private TestServer server;
    private RecordingClient client;

    @BeforeEach
    void start() {
        server = TestServer.start(b -> b.subscriptionPolicy(SubscriptionPolicy.allowPrefixes("public.")));
        client = RecordingClient.connect(server.clientOptions("dave").build(), "news", "marker");
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void anAllowedSubscriptionDeliversTheTopicsEventsToBothKindsOfListener() throws Exception {
        BlockingQueue<ServerEvent> topicEvents = new LinkedBlockingQueue<>();
        assertThat(client.client.subscribe("public.news", topicEvents::add)).succeedsWithin(WAIT)
                .satisfies(reply -> {
                    assertThat(reply.get("topic").asText()).isEqualTo("public.news");
                    assertThat(reply.get("recovered").asBoolean()).isFalse();
                });

        server.board().to(Audience.topic("public.news")).emit("news", "extra!");

        client.assertEvent("news", "extra!");
        ServerEvent e = topicEvents.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(e).isNotNull();
        assertThat(e.event()).isEqualTo("news");
        assertThat(e.topic()).isEqualTo("public.news");
        assertThat(e.data().asText()).isEqualTo("extra!");
        assertThat(client.client.subscriptions()).containsExactly("public.news");
    }

    @Test
    void aDeniedSubscriptionFailsWithForbidden() {
        assertThat(client.client.subscribe("private.salaries", e -> { })).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOfSatisfying(SwitchboardException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThat(client.client.subscriptions()).isEmpty();
        assertThat(server.board().connection(client.client.connectionId()).orElseThrow().topics()).isEmpty();
    }

    @Test
    void afterUnsubscribeTheTopicsEventsStop() {
        client.client.subscribe("public.news").join();
        assertThat(client.client.unsubscribe("public.news")).succeedsWithin(WAIT);

        server.board().to(Audience.topic("public.news")).emit("news", "missed");
        server.board().to(Audience.everyone()).emit("marker", null);

        assertThat(client.untilMarker("marker")).isEmpty();
        assertThat(client.client.subscriptions()).isEmpty();
    }
}
