package dev.switchboard.backplane.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Identity;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.backplane.InMemoryBackplane;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.Handshake;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event source against a real KRaft broker (started by the test, or {@code SWITCHBOARD_TEST_KAFKA_BOOTSTRAP}):
 * seed 002's records and CloudEvents reach their audience in both modes, poison records are counted and
 * skipped without stopping the partition, and a broker killed and restarted does not lose the consumer or its
 * committed offsets.
 */
class KafkaEventSourceIntegrationTest {
    private static final Duration WAIT = KafkaBroker.timeout();
    private static final Map<String, Identity> USERS = Map.of(
            "alice", Identity.builder("alice").roles("admin").organisations("acme").build(),
            "bob", Identity.builder("bob").roles("member").organisations("acme").build(),
            "carol", Identity.builder("carol").roles("admin").organisations("globex").build());
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeEach
    void producer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        producer.close(Duration.ofSeconds(5));
    }

    private String topic(int partitions) throws Exception {
        String name = "events-" + run + "-" + UUID.randomUUID().toString().substring(0, 6);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return name;
    }

    private Switchboard node(Backplane backplane) {
        Switchboard board = Switchboard.builder().backplane(backplane)
                .options(SwitchboardOptions.builder().heartbeat(Duration.ofHours(1)).build())
                .authenticator(h -> USERS.get(h.bearerToken())).build();
        closeables.add(board);
        return board;
    }

    private KafkaEventSource source(Switchboard board, KafkaEventSourceOptions options) {
        KafkaEventSource s = KafkaEventSource.start(board, options);
        closeables.add(s);
        return s;
    }

    private static InMemoryClient connect(Switchboard board, String user) {
        InMemoryClient c = InMemoryTransport.attach(board).connect(new Handshake("/ws",
                Map.of("access_token", List.of(user)), Map.of(), List.of(), null));
        assertThat(c.nextFrame(WAIT).path("type").asText()).isEqualTo("welcome");
        return c;
    }

    private void send(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key == null ? null : utf8(key), value == null ? null : utf8(value)))
                .get(60, TimeUnit.SECONDS);
    }

    private void sendEvent(String topic, CloudEvent event, String encoding) throws Exception {
        Map.Entry<Headers, byte[]> r = RecordDecoderTest.serialize(event, encoding);
        producer.send(new ProducerRecord<>(topic, null, null, null, r.getValue(), r.getKey())).get(60, TimeUnit.SECONDS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String emit(String id, String audience) {
        return "{\"id\":\"" + id + "\",\"type\":\"notifications.drawer\",\"payload\":{\"n\":\"" + id + "\"}," + audience + "}";
    }

    private static String nextId(InMemoryClient c) {
        JsonNode f = c.nextFrame(WAIT);
        assertThat(f.path("type").asText()).isEqualTo("event");
        return f.path("id").asText();
    }

    @Test
    void everyNodeReadsEveryRecordAndDeliversToItsOwnConnectionsSkippingPoison() throws Exception {
        String topic = topic(1);
        Switchboard n1 = node(new dev.switchboard.backplane.LocalBackplane());
        Switchboard n2 = node(new dev.switchboard.backplane.LocalBackplane());
        KafkaEventSourceOptions.Builder o = KafkaEventSourceOptions.builder(KafkaBroker.bootstrap(), topic)
                .startFrom(KafkaEventSourceOptions.StartFrom.EARLIEST);
        KafkaEventSource s1 = source(n1, o.build());
        KafkaEventSource s2 = source(n2, o.build());
        assertThat(s1.groupId()).isNotEqualTo(s2.groupId()).startsWith("switchboard-events-");
        InMemoryClient alice1 = connect(n1, "alice");
        InMemoryClient bob1 = connect(n1, "bob");
        InMemoryClient alice2 = connect(n2, "alice");
        InMemoryClient carol2 = connect(n2, "carol");

        send(topic, null, RecordDecoderTest.SEED_BODY.replace("message-id", "seed-" + run));
        send(topic, null, "this is not json");
        send(topic, null, "{\"id\":\"no-type\",\"broadcast\":true}");
        send(topic, null, "{\"id\":\"nobody\",\"type\":\"t\"}");
        send(topic, null, null);
        send(topic, null, emit("admins-" + run, "\"roles\":[\"admin\"],\"organizations\":[\"acme\"]"));
        sendEvent(topic, CloudEventBuilder.v1().withId("ce-bin-" + run).withSource(URI.create("/orders"))
                .withType("order.shipped").withExtension("users", "carol").build(), "BINARY");
        sendEvent(topic, CloudEventBuilder.v1().withId("ce-struct-" + run).withSource(URI.create("/ops")).withType("banner")
                .withDataContentType("application/json")
                .withData(utf8("{\"users\":[\"bob\"],\"payload\":{\"text\":\"hi\"}}")).build(), "STRUCTURED");
        send(topic, null, RecordDecoderTest.SEED_BODY.replace("message-id", "seed-" + run));   // a repeat

        JsonNode seed = alice1.nextFrame(WAIT);
        assertThat(seed.path("event").asText()).isEqualTo("notifications.drawer");
        assertThat(seed.path("data").path("title").asText()).isEqualTo("New notification");
        assertThat(nextId(bob1)).isEqualTo("seed-" + run);
        assertThat(nextId(alice2)).isEqualTo("seed-" + run);
        assertThat(nextId(carol2)).isEqualTo("seed-" + run);

        assertThat(nextId(alice1)).isEqualTo("admins-" + run);
        assertThat(nextId(alice2)).isEqualTo("admins-" + run);
        assertThat(nextId(carol2)).isEqualTo("ce-bin-" + run);
        JsonNode banner = bob1.nextFrame(WAIT);
        assertThat(banner.path("id").asText()).isEqualTo("ce-struct-" + run);
        assertThat(banner.path("event").asText()).isEqualTo("banner");
        assertThat(banner.path("data").path("text").asText()).isEqualTo("hi");

        for (KafkaEventSource s : List.of(s1, s2)) {
            // A record counts as received before it is delivered, found a duplicate or skipped: wait for all nine.
            Await.until(WAIT, () -> {
                KafkaEventSourceStats now = s.stats();
                return now.received() == 9 && now.delivered() + now.duplicates() + now.skippedTotal() == 9;
            }, "all nine records read and handled");
            KafkaEventSourceStats st = s.stats();
            assertThat(st.delivered()).isEqualTo(4);
            assertThat(st.duplicates()).isEqualTo(1);
            assertThat(st.skipped(SkipReason.NOT_JSON)).isEqualTo(2);
            assertThat(st.skipped(SkipReason.NO_TYPE)).isEqualTo(1);
            assertThat(st.skipped(SkipReason.NO_AUDIENCE)).isEqualTo(1);
            assertThat(st.skippedTotal()).isEqualTo(4);
        }
        for (InMemoryClient c : List.of(alice1, bob1, alice2, carol2)) {
            assertThat(c.pollFrame()).as("nothing more, no repeat").isNull();
        }
    }

    @Test
    void aSharedGroupRoutesEachRecordOnceThroughTheBackplane() throws Exception {
        String topic = topic(2);
        InMemoryBackplane.Bus bus = InMemoryBackplane.bus();
        Switchboard n1 = node(bus.backplane());
        Switchboard n2 = node(bus.backplane());
        KafkaEventSourceOptions o = KafkaEventSourceOptions.builder(KafkaBroker.bootstrap(), topic)
                .mode(KafkaEventSourceOptions.Mode.SHARED_GROUP).groupId("shared-" + run)
                .startFrom(KafkaEventSourceOptions.StartFrom.EARLIEST).build();
        KafkaEventSource s1 = source(n1, o);
        KafkaEventSource s2 = source(n2, o);
        InMemoryClient alice = connect(n2, "alice");

        int count = 20;
        for (int i = 0; i < count; i++) {
            send(topic, "key-" + i, emit("m" + i + "-" + run, "\"users\":[\"alice\"]"));
        }
        Set<String> got = new HashSet<>();
        for (int i = 0; i < count; i++) {
            assertThat(got.add(nextId(alice))).as("each record once").isTrue();
        }
        assertThat(got).hasSize(count);
        Await.until(WAIT, () -> s1.stats().received() + s2.stats().received() == count, "every record read once");
        assertThat(s1.stats().delivered() + s2.stats().delivered()).isEqualTo(count);
        assertThat(alice.pollFrame()).isNull();
    }

    @Test
    void survivesABrokerRestartAndResumesFromTheCommittedOffsets() throws Exception {
        assumeTrue(KafkaBroker.owned(), "the test does not own the external broker");
        String topic = topic(1);
        String group = "restart-" + run;
        KafkaEventSourceOptions o = KafkaEventSourceOptions.builder(KafkaBroker.bootstrap(), topic).groupId(group)
                .startFrom(KafkaEventSourceOptions.StartFrom.EARLIEST).build();
        Switchboard n1 = node(new dev.switchboard.backplane.LocalBackplane());
        KafkaEventSource s1 = source(n1, o);
        InMemoryClient alice = connect(n1, "alice");
        send(topic, null, emit("before-" + run, "\"users\":[\"alice\"]"));
        assertThat(nextId(alice)).isEqualTo("before-" + run);

        KafkaBroker.shared().kill();
        KafkaBroker.shared().start();
        send(topic, null, emit("after-restart-" + run, "\"users\":[\"alice\"]"));
        assertThat(nextId(alice)).as("the same consumer goes on after the restart").isEqualTo("after-restart-" + run);
        Await.until(WAIT, () -> s1.stats().delivered() == 2, "two delivered");
        s1.close();

        // Produced while no node reads: a new node of the same group starts after the last committed record.
        send(topic, null, emit("while-away-" + run, "\"users\":[\"alice\"]"));
        Switchboard n2 = node(new dev.switchboard.backplane.LocalBackplane());
        InMemoryClient again = connect(n2, "alice");
        KafkaEventSource s2 = source(n2, o);
        assertThat(nextId(again)).as("nothing before the committed offset is read again")
                .isEqualTo("while-away-" + run);
        Await.until(WAIT, () -> s2.stats().received() == 1, "one record read");
        assertThat(again.pollFrame()).isNull();
    }
}
