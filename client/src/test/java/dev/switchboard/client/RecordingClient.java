package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A connected client that records the events it is told to listen for in a queue, so tests assert on
 * what arrived with a timeout instead of sleeping.
 */
final class RecordingClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);

    /** One received event. */
    record Received(String event, String topic, JsonNode data) {
    }

    final SwitchboardClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<ClientState> states = new LinkedBlockingQueue<>();

    private RecordingClient(SwitchboardClient client, String... events) {
        this.client = client;
        for (String event : events) {
            client.on(event, (data, topic) -> received.add(new Received(event, topic, data)));
        }
        client.onStateChange((from, to) -> states.add(to));
    }

    /**
     * @param options where and how to connect
     * @param events the event names to record
     * @return a connected, recording client
     */
    static RecordingClient connect(ClientOptions options, String... events) {
        SwitchboardClient c = SwitchboardClient.connect(options).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        return new RecordingClient(c, events);
    }

    /** @return the next recorded event; fails if none arrives in time */
    Received next() {
        try {
            Received r = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(r).as("an event within %s", WAIT).isNotNull();
            return r;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts the next event's name and text data. */
    Received assertEvent(String event, String text) {
        Received r = next();
        assertThat(r.event()).isEqualTo(event);
        assertThat(r.data().asText()).isEqualTo(text);
        return r;
    }

    /**
     * @param marker an event the test sent to everyone after the events under test
     * @return the events received before the marker: what this client got, and nothing it did not
     */
    List<Received> untilMarker(String marker) {
        List<Received> before = new ArrayList<>();
        for (Received r = next(); !r.event().equals(marker); r = next()) {
            before.add(r);
        }
        return before;
    }

    /** Asserts that the client reaches a state (skipping intermediate ones) in time. */
    void assertState(ClientState wanted) {
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                ClientState s = states.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(s).as("state %s within %s (now %s)", wanted, WAIT, client.state()).isNotNull();
                if (s == wanted) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts that nothing was recorded that the test has not taken. */
    void assertExhausted() {
        assertThat(received).isEmpty();
    }

    @Override
    public void close() {
        client.close();
        client.closeFuture().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }
}
