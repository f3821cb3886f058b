package dev.switchboard.backplane.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.internal.BackplanePipeline;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.spi.HistoryRead;
import dev.switchboard.testkit.Await;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the compatibility kit cannot see from outside: the JetStream streams behind durable topics, their
 * limits, and the epoch when an operator deletes or purges a stream.
 */
class NatsHistoryIntegrationTest {
    @TempDir
    static Path dir;
    private static NatsServerProcess server;
    private final String namespace = "hist-" + UUID.randomUUID().toString().substring(0, 8);
    private BackplanePipeline pipeline;
    private History history;
    private Connection admin;
    private JetStreamManagement jsm;

    @BeforeAll
    static void startNats() {
        server = NatsServerProcess.find(dir).orElse(null);
        assumeTrue(server != null, "no nats-server on the PATH (Debian: apt-get install nats-server); NATS tests skipped");
        server.start();
    }

    @AfterAll
    static void stopNats() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void connect() throws Exception {
        pipeline = BackplanePipeline.of(NatsBackplane.create(server.uri() + "?namespace=" + namespace
                + "&streamPrefix=H_&historyMaxAge=1h"));
        pipeline.start("hist-node", m -> { });
        Await.until(Duration.ofSeconds(20), () -> pipeline.health().up(), "backplane up");
        history = pipeline.history().orElseThrow();
        admin = Nats.connect(server.uri());
        jsm = admin.jetStreamManagement();
    }

    @AfterEach
    void close() throws InterruptedException {
        if (pipeline != null) {
            pipeline.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    private static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aTopicIsAStreamWithTheRetentionsLimits() throws Exception {
        get(history.append("orders", utf8("a"), Retention.lastMessages(10).maxAge(Duration.ofMinutes(5))));
        StreamConfiguration c = jsm.getStreamInfo("H_orders").getConfiguration();
        assertThat(c.getSubjects()).containsExactly(namespace + ".history.orders");
        assertThat(c.getMaxMsgs()).isEqualTo(10);
        assertThat(c.getMaxAge()).isEqualTo(Duration.ofMinutes(5));

        get(history.append("orders", utf8("b"), Retention.lastMessages(3)));
        c = jsm.getStreamInfo("H_orders").getConfiguration();
        assertThat(c.getMaxMsgs()).isEqualTo(3);
        assertThat(c.getMaxAge()).as("historyMaxAge applies without an age of the topic's own")
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void topicsThatAreNotTokensGetStreamsOfTheirOwn() throws Exception {
        StreamPosition a = get(history.append("chat:room.1 *", utf8("x"), Retention.lastMessages(5)));
        StreamPosition b = get(history.append("chat:room_1__", utf8("y"), Retention.lastMessages(5)));
        assertThat(a.offset()).isEqualTo(1);
        assertThat(b.offset()).isEqualTo(1);
        assertThat(jsm.getStreamNames()).filteredOn(n -> n.startsWith("H_chat_room")).hasSize(2);
    }

    @Test
    void aDeletedStreamComesBackWithANewEpochFromOffsetOne() throws Exception {
        StreamPosition first = get(history.append("deleted", utf8("1"), Retention.lastMessages(10)));
        get(history.append("deleted", utf8("2"), Retention.lastMessages(10)));
        assertThat(jsm.deleteStream("H_deleted")).isTrue();

        StreamPosition again = get(history.append("deleted", utf8("3"), Retention.lastMessages(10)));
        assertThat(again.offset()).isEqualTo(1);
        assertThat(again.epoch()).isNotEqualTo(first.epoch());
        assertThat(get(history.latest("deleted"))).isEqualTo(again);
    }

    @Test
    void aPurgedStreamKeepsItsEpochAndReadsAsTrimmed() throws Exception {
        StreamPosition p = null;
        for (int i = 1; i <= 3; i++) {
            p = get(history.append("purged", utf8("m" + i), Retention.lastMessages(10)));
        }
        jsm.purgeStream("H_purged");
        HistoryRead read = get(history.read("purged", 1, 10));
        assertThat(read.latest()).isEqualTo(p);
        assertThat(read.entries()).isEmpty();
        StreamPosition next = get(history.append("purged", utf8("m4"), Retention.lastMessages(10)));
        assertThat(next).isEqualTo(new StreamPosition(p.epoch(), 4));
        assertThat(get(history.read("purged", 0, 10)).entries()).extracting(HistoryEntry::offset).containsExactly(4L);
    }
}
