package dev.switchboard.backplane.mongo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.switchboard.BackplaneException;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.backplane.mongo.MongoTestServer;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.spi.HistoryRead;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bson.BsonBinary;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An append takes its offset and stores its message in two writes; these tests stand in for an append that is
 * between the two (the counter taken by hand, the entry inserted by hand, late or never), against
 * mongo-java-server. Found by the chaos soak: at load 90 an insert came more than the 500 ms a read then waited
 * after its counter update, the read answered without it, a resume was {@code recovered:false}, and the message
 * was delivered all the same.
 */
class MongoHistoryHoleTest {
    private static final String NAMESPACE = "holes";
    private static final String TOPIC = "orders";
    private static final String KEY = NAMESPACE + "/" + TOPIC;

    private MongoTestServer server;
    private MongoClient client;
    private ExecutorService executor;
    private MongoCollection<Document> topics;
    private MongoCollection<Document> entries;
    private MongoHistory history;

    @BeforeEach
    void start() {
        server = MongoTestServer.start();
        client = MongoClients.create(server.uri());
        executor = Executors.newFixedThreadPool(4);
        topics = client.getDatabase("holes").getCollection("topics");
        entries = client.getDatabase("holes").getCollection("history");
        history = new MongoHistory(topics, entries, NAMESPACE, executor);
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        client.close();
        server.close();
    }

    private StreamPosition append(String message, Retention retention) throws Exception {
        return history.append(TOPIC, message.getBytes(StandardCharsets.UTF_8), retention).get(10, TimeUnit.SECONDS);
    }

    /** @return the offset taken, as an append's counter update takes it */
    private long takeOffset() {
        Document before = topics.findOneAndUpdate(Filters.eq("_id", KEY), Updates.inc("latest", 1L));
        return before.getLong("latest") + 1;
    }

    /** Stores the message of a taken offset, as the append's second write does. */
    private void store(String epoch, long offset, String message) {
        entries.insertOne(new Document("k", KEY).append("e", epoch).append("o", offset).append("ts", new Date())
                .append("m", new BsonBinary(message.getBytes(StandardCharsets.UTF_8))));
    }

    private static List<Long> offsets(HistoryRead read) {
        return read.entries().stream().map(HistoryEntry::offset).toList();
    }

    @Test
    void aReadWaitsForAnOffsetThatIsStoredLateAfterItWasTaken() throws Exception {
        StreamPosition first = append("m1", Retention.lastMessages(100));
        append("m2", Retention.lastMessages(100));
        long taken = takeOffset();
        assertThat(taken).isEqualTo(3);
        CompletableFuture<HistoryRead> read = history.read(TOPIC, 1, 100);
        // Later than the 500 ms a read waited before: it answered [2], and offset 3 was delivered all the same.
        Thread.sleep(1200);
        store(first.epoch(), taken, "m3");
        HistoryRead r = read.get(10, TimeUnit.SECONDS);
        assertThat(r.latest()).isEqualTo(new StreamPosition(first.epoch(), 3));
        assertThat(offsets(r)).containsExactly(2L, 3L);
        assertThat(new String(r.entries().get(1).message(), StandardCharsets.UTF_8)).isEqualTo("m3");
    }

    @Test
    void anOffsetNeverStoredIsFencedSoThatItsAppendCannotStoreItAfterTheReadAnswered() throws Exception {
        StreamPosition first = append("m1", Retention.lastMessages(100));
        append("m2", Retention.lastMessages(100));
        long taken = takeOffset();
        long began = System.nanoTime();
        HistoryRead r = history.read(TOPIC, 1, 100).get(20, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(
                Duration.ofMillis(MongoHistory.HOLE_WAIT_MILLIS));
        assertThat(offsets(r)).as("the run stops before the hole").containsExactly(2L);

        // The append that took offset 3 stores its message at last: refused, so nobody ever receives it.
        assertThatThrownBy(() -> store(first.epoch(), taken, "m3")).isInstanceOf(MongoWriteException.class);
        StreamPosition next = append("m4", Retention.lastMessages(100));
        assertThat(next).isEqualTo(new StreamPosition(first.epoch(), 4));
        // The hole is known now: reads answer at once, and never past it.
        began = System.nanoTime();
        assertThat(offsets(history.read(TOPIC, 1, 100).get(20, TimeUnit.SECONDS))).containsExactly(2L);
        assertThat(offsets(history.read(TOPIC, 3, 100).get(20, TimeUnit.SECONDS))).containsExactly(4L);
        assertThat(offsets(history.read(TOPIC, 0, 100).get(20, TimeUnit.SECONDS))).containsExactly(1L, 2L);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofMillis(MongoHistory.HOLE_WAIT_MILLIS));
    }

    @Test
    void anAppendWhoseOffsetAReadFencedFailsAndIsNotStored() throws Exception {
        StreamPosition first = append("m1", Retention.lastMessages(100));
        // A read gave offset 2 up before this append's insert (as in the test above, without the wait).
        entries.insertOne(new Document("k", KEY).append("e", first.epoch()).append("o", 2L).append("ts", new Date())
                .append("hole", true));
        assertThatThrownBy(() -> append("m2", Retention.lastMessages(100)))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(BackplaneException.class).hasMessageContaining("not appended");
        assertThat(entries.countDocuments(Filters.and(Filters.eq("k", KEY), Filters.exists("m")))).isEqualTo(1);
        assertThat(append("m3", Retention.lastMessages(100))).isEqualTo(new StreamPosition(first.epoch(), 3));
    }

    @Test
    void aHoleMarkerOfALostEpochMakesWayForTheNewEpochsEntry() throws Exception {
        StreamPosition first = append("m1", Retention.lastMessages(100));
        entries.insertOne(new Document("k", KEY).append("e", first.epoch()).append("o", 2L).append("ts", new Date())
                .append("hole", true));
        topics.deleteOne(Filters.eq("_id", KEY)); // the topic document is lost: a new epoch from offset 1
        StreamPosition a = append("n1", Retention.lastMessages(100));
        StreamPosition b = append("n2", Retention.lastMessages(100));
        assertThat(a.epoch()).isNotEqualTo(first.epoch());
        assertThat(b).isEqualTo(new StreamPosition(a.epoch(), 2));
        assertThat(offsets(history.read(TOPIC, 0, 100).get(10, TimeUnit.SECONDS))).containsExactly(1L, 2L);
    }

    @Test
    void entriesExpiredByAgeBeforeTheFirstFoundAreNotWaitedFor() throws Exception {
        Retention byAge = Retention.lastMessages(100).maxAge(Duration.ofMillis(300));
        append("m1", byAge);
        Thread.sleep(400);
        append("m2", byAge);
        long began = System.nanoTime();
        HistoryRead r = history.read(TOPIC, 0, 100).get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofMillis(MongoHistory.HOLE_WAIT_MILLIS));
        assertThat(offsets(r)).containsExactly(2L);
        assertThat(entries.countDocuments(Filters.eq("hole", true))).as("nothing fenced").isZero();
    }
}
