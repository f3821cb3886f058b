package dev.switchboard.crud.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import dev.switchboard.backplane.mongo.MongoTestServer;
import dev.switchboard.crud.ChangeEvent;
import dev.switchboard.testkit.Await;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MongoChangeFeed: changes made with the plain driver become change events, also across a restart. */
class MongoChangeFeedTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private MongoTestServer server;
    private MongoClient client;
    private MongoChangeFeed feed;
    private final BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    private final String name = "tasks_" + UUID.randomUUID().toString().substring(0, 6);

    @BeforeEach
    void start() {
        server = MongoTestServer.start();
        client = MongoClients.create(server.uri() + "/?serverSelectionTimeoutMS=1000");
        feed = MongoChangeFeed.create(client, "feed_db", name);
        feed.start(events::add);
        Await.until(WAIT, feed::isOpen, "feed open");
    }

    @AfterEach
    void stop() {
        feed.close();
        client.close();
        server.close();
    }

    private ChangeEvent next() throws InterruptedException {
        ChangeEvent e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(e).as("a change event within " + WAIT).isNotNull();
        return e;
    }

    @Test
    void turnsInsertsUpdatesReplacesAndDeletesIntoEvents() throws Exception {
        MongoCollection<Document> tasks = client.getDatabase("feed_db").getCollection(name);
        ObjectId oid = new ObjectId();
        String id = oid.toHexString();
        tasks.insertOne(new Document("_id", oid).append("title", "Write docs").append("version", 1L));
        ChangeEvent added = next();
        assertThat(added.type()).isEqualTo(ChangeEvent.Type.ADDED);
        assertThat(added.collection()).isEqualTo(name);
        assertThat(added.id()).isEqualTo(id);
        assertThat(added.item().toString()).isEqualTo("{\"id\":\"" + id + "\",\"title\":\"Write docs\",\"version\":1}");
        // Shaped exactly like the repository's items.
        assertThat(added.item()).isEqualTo(MongoRepository.create(tasks).get(id).orElseThrow());

        tasks.updateOne(Filters.eq("_id", oid), Updates.combine(Updates.set("status", "done"), Updates.inc("version", 1L)));
        ChangeEvent updated = next();
        assertThat(updated.type()).isEqualTo(ChangeEvent.Type.MODIFIED);
        assertThat(updated.item().toString())
                .isEqualTo("{\"id\":\"" + id + "\",\"title\":\"Write docs\",\"status\":\"done\",\"version\":2}");

        tasks.replaceOne(Filters.eq("_id", oid), new Document("title", "Replaced").append("version", 3L));
        ChangeEvent replaced = next();
        assertThat(replaced.type()).isEqualTo(ChangeEvent.Type.MODIFIED);
        assertThat(replaced.item().toString()).isEqualTo("{\"id\":\"" + id + "\",\"title\":\"Replaced\",\"version\":3}");

        tasks.deleteOne(Filters.eq("_id", oid));
        ChangeEvent deleted = next();
        assertThat(deleted.type()).isEqualTo(ChangeEvent.Type.DELETED);
        assertThat(deleted.id()).isEqualTo(id);
        assertThat(deleted.item().toString()).isEqualTo("{\"id\":\"" + id + "\"}");

        // Other collections are not reported; string and number ids are.
        client.getDatabase("feed_db").getCollection(name + "_other").insertOne(new Document("x", 1));
        tasks.insertOne(new Document("_id", 7).append("title", "numbered"));
        ChangeEvent numbered = next();
        assertThat(numbered.id()).isEqualTo("7");
        assertThat(numbered.item().get("version").asLong()).isZero();
        assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void resumesByTokenAfterARestart() throws Exception {
        MongoCollection<Document> tasks = client.getDatabase("feed_db").getCollection(name);
        tasks.insertOne(new Document("_id", "a").append("title", "first"));
        assertThat(next().id()).isEqualTo("a");
        server.stop();
        Await.until(WAIT, () -> !feed.isOpen(), "feed closed by the outage");
        MongoServer side = server.sideDoor();
        try (MongoClient other = MongoClients.create("mongodb://127.0.0.1:" + side.getLocalAddress().getPort())) {
            other.getDatabase("feed_db").getCollection(name).insertOne(new Document("_id", "b").append("title", "meanwhile"));
        } finally {
            side.shutdownNow();
        }
        server.restart();
        ChangeEvent missed = next();
        assertThat(missed.id()).isEqualTo("b");
        assertThat(missed.item().get("title").asText()).isEqualTo("meanwhile");
        assertThat(feed.gaps()).isZero();
    }
}
