package dev.switchboard.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.StreamPosition;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ClientState;
import dev.switchboard.client.ServerEvent;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.SubscribeResult;
import dev.switchboard.client.SwitchboardClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The soak's Java subscribers: {@link SwitchboardClient}s on the clients' proxy, each subscribed to its
 * topics, logging every reply, re-subscription and event to the {@link Checker}. They reconnect, hop to
 * whichever node the proxy picks and resume with {@code since} by themselves. One HTTP client, one
 * scheduler and a small pool are shared; each client's callbacks stay serial.
 */
final class JavaSubscribers implements AutoCloseable {
    private final List<SwitchboardClient> clients = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemon("chaos-java-timer"));
    private final ExecutorService callbacks = Executors.newFixedThreadPool(4, daemon("chaos-java-callback"));

    /**
     * Connects and subscribes every subscriber; blocks until each has its first replies.
     *
     * @param uri the clients' proxy
     * @param plan subscriber id to its topics
     * @param checker gets every record
     * @throws Exception when a subscriber cannot connect after a few tries or a subscription fails
     */
    void start(URI uri, Map<String, List<String>> plan, Checker checker) throws Exception {
        for (Map.Entry<String, List<String>> e : plan.entrySet()) {
            String id = e.getKey();
            SwitchboardClient c = connect(uri);
            clients.add(c);
            ids.add(id);
            c.onResubscribe(r -> reply(checker, id, r, true, c.nodeId()));
            for (String topic : e.getValue()) {
                SubscribeResult r = c.subscribe(topic, ev -> event(checker, id, ev), SubscribeOptions.builder().build())
                        .get(30, TimeUnit.SECONDS);
                // Safe to record here although the callback thread may already deliver events: the client
                // completes the reply's future before it delivers the topic's first event, on the same thread.
                reply(checker, id, r, false, c.nodeId());
            }
        }
    }

    private SwitchboardClient connect(URI uri) throws InterruptedException {
        ClientOptions options = ClientOptions.builder(uri)
                .backoff(Duration.ofMillis(50), Duration.ofSeconds(2), 2.0)
                .connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(20))
                .httpClient(http)
                .scheduler(scheduler)
                .callbackExecutor(new SerialExecutor(callbacks))
                .build();
        RuntimeException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return SwitchboardClient.connect(options).get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                last = new IllegalStateException("subscriber cannot connect to " + uri, e);
                Thread.sleep(200); // between connect attempts
            }
        }
        throw last;
    }

    private static void reply(Checker checker, String id, SubscribeResult r, boolean resubscribe, String node) {
        StreamPosition p = r.position();
        checker.reply(id, r.topic(), p == null ? null : p.epoch(), p == null ? null : p.offset(), r.recovered(),
                resubscribe, node);
    }

    private static void event(Checker checker, String id, ServerEvent ev) {
        JsonNode d = ev.data();
        checker.event(id, ev.topic(), ev.offset(), d.path("p").asText(), d.path("s").asLong(), d.path("n").asText());
    }

    /** @return the ids of the subscribers connected and re-subscribed now */
    Set<String> open() {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < clients.size(); i++) {
            if (clients.get(i).state() == ClientState.OPEN) {
                out.add(ids.get(i));
            }
        }
        return out;
    }

    /** @return how many subscribers */
    int size() {
        return clients.size();
    }

    @Override
    public void close() {
        clients.forEach(SwitchboardClient::close);
        scheduler.shutdownNow();
        callbacks.shutdownNow();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
