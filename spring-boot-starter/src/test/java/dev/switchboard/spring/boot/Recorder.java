package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.SwitchboardClient;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Java client whose listeners, added before it connects, record the named events in a queue; tests
 * assert on what arrived with a timeout instead of sleeping.
 */
final class Recorder implements AutoCloseable {
    /** Generous: the machines these tests run on are shared, and a cold application answers its first upgrade slowly. */
    static final Duration WAIT = Duration.ofSeconds(30);

    /** One received event. */
    record Received(String event, String topic, JsonNode data) {
    }

    final SwitchboardClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    private Recorder(SwitchboardClient client) {
        this.client = client;
    }

    static Recorder connect(ClientOptions options, String... events) {
        Recorder r = new Recorder(SwitchboardClient.create(options));
        for (String event : events) {
            r.client.on(event, (data, topic) -> r.received.add(new Received(event, topic, data)));
        }
        r.client.connect().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        return r;
    }

    static ClientOptions.Builder options(int port, String token) {
        return ClientOptions.builder(URI.create("ws://127.0.0.1:" + port + "/ws")).token(token)
                .connectTimeout(WAIT).requestTimeout(WAIT);
    }

    Received next() throws InterruptedException {
        Received r = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(r).as("an event within %s", WAIT).isNotNull();
        return r;
    }

    /** Asserts that the next recorded event has this name and text data. */
    void assertEvent(String event, String text) throws InterruptedException {
        Received r = next();
        assertThat(r.event()).isEqualTo(event);
        assertThat(r.data().asText()).isEqualTo(text);
    }

    @Override
    public void close() {
        client.close();
    }
}
