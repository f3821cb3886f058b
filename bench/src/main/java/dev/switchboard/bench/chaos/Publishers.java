package dev.switchboard.bench.chaos;

import dev.switchboard.ConnectionClosedException;
import dev.switchboard.RequestTimeoutException;
import dev.switchboard.SwitchboardException;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.SwitchboardClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The soak's publishers: publisher k talks to node k (mod the node count) directly, and sends
 * {@code publish {"topic","publisher","seq"}} requests one after the other at its rate, to topics drawn
 * from its own seeded random. Each outcome goes to the {@link Checker}: {@code acked} (the reply: the
 * message is in the history of a durable topic), {@code failed} (an error reply: it is not) or
 * {@code unknown} (the connection dropped or the reply did not come in time).
 */
final class Publishers implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final List<SwitchboardClient> clients = new ArrayList<>();
    private final List<long[]> sequences = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * Connects every publisher and starts publishing.
     *
     * @param nodes the nodes' URIs
     * @param count how many publishers
     * @param rate messages per second per publisher
     * @param topics the topics to publish to
     * @param seed the run's seed
     * @param checker gets the outcomes
     * @throws Exception when a publisher cannot connect
     */
    void start(List<String> nodes, int count, double rate, List<String> topics, long seed, Checker checker)
            throws Exception {
        for (int k = 0; k < count; k++) {
            String id = "pub" + (k + 1);
            SwitchboardClient c = SwitchboardClient.connect(ClientOptions.builder(URI.create(nodes.get(k % nodes.size())))
                    .backoff(Duration.ofMillis(50), Duration.ofSeconds(1), 2.0)
                    .requestTimeout(Duration.ofSeconds(10))
                    .build()).get(30, TimeUnit.SECONDS);
            clients.add(c);
            long[] seq = new long[1];
            sequences.add(seq);
            Random random = new Random(seed * 31 + k);
            long periodNanos = (long) (1e9 / rate);
            Thread t = new Thread(() -> {
                long next = System.nanoTime();
                while (!stopping) {
                    String topic = topics.get(random.nextInt(topics.size()));
                    publish(c, id, topic, ++seq[0], checker);
                    next += periodNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing the publisher
                    } else {
                        next = System.nanoTime(); // behind (a slow reply): no burst to catch up
                    }
                }
            }, "chaos-" + id);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** @return the outcome of one publish, also given to the checker */
    private static String publish(SwitchboardClient c, String id, String topic, long seq, Checker checker) {
        String outcome;
        try {
            c.request("publish", Map.of("topic", topic, "publisher", id, "seq", seq)).get(15, TimeUnit.SECONDS);
            outcome = "acked";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            outcome = cause instanceof ConnectionClosedException || cause instanceof RequestTimeoutException
                    || !(cause instanceof SwitchboardException) ? "unknown" : "failed";
        } catch (TimeoutException e) {
            outcome = "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "unknown";
        }
        checker.published(topic, id, seq, outcome);
        return outcome;
    }

    /** Stops publishing and waits for the publishers' last requests. */
    void stop() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) {
            t.join(30_000);
        }
    }

    /**
     * After {@link #stop}: every publisher publishes once more to each of {@code topics} until acknowledged,
     * so that a message lost between nodes near the end is noticed and filled from the history.
     *
     * @param topics the durable topics
     * @param checker gets the outcomes
     * @param deadlineNanos give up then
     * @return how many were acknowledged
     */
    int finalRound(List<String> topics, Checker checker, long deadlineNanos) {
        int acked = 0;
        for (int k = 0; k < clients.size(); k++) {
            for (String topic : topics) {
                while (System.nanoTime() < deadlineNanos) {
                    if (publish(clients.get(k), "pub" + (k + 1), topic, ++sequences.get(k)[0], checker).equals("acked")) {
                        acked++;
                        break;
                    }
                }
            }
        }
        return acked;
    }

    @Override
    public void close() {
        stopping = true;
        clients.forEach(SwitchboardClient::close);
    }
}
