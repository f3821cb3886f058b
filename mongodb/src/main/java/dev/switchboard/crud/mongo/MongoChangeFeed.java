package dev.switchboard.crud.mongo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import dev.switchboard.crud.ChangeEvent;
import dev.switchboard.crud.ChangeFeed;
import dev.switchboard.crud.mongo.internal.Ids;
import dev.switchboard.crud.mongo.internal.Items;
import dev.switchboard.mongodb.internal.Clients;
import dev.switchboard.mongodb.internal.ResumableChangeStream;
import dev.switchboard.spi.ReconnectBackoff;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonValue;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChangeFeed} on a MongoDB collection: a change stream ({@code fullDocument: updateLookup})
 * turns inserts, updates, replaces and deletes made by any program into {@code ADDED},
 * {@code MODIFIED} and {@code DELETED} on {@code collection:<name>}, items shaped exactly like
 * {@link MongoRepository}'s (id, fields, version). The stream keeps its resume token and resumes after
 * network errors and failovers; when the token is no longer valid it starts again from now, logs the
 * gap and counts it ({@link #gaps()}).
 *
 * <p>An update whose document is already gone when the stream reads it (deleted right after) is skipped:
 * the delete's {@code DELETED} follows. The sink is called on the feed's own thread.
 */
public final class MongoChangeFeed implements ChangeFeed {
    private static final Logger log = LoggerFactory.getLogger(MongoChangeFeed.class);

    private final MongoClient client;
    private final String database;
    private final String collection;
    private final AtomicLong gaps = new AtomicLong();
    private ResumableChangeStream stream;

    private MongoChangeFeed(MongoClient client, String database, String collection) {
        this.client = Objects.requireNonNull(client, "client");
        this.database = Objects.requireNonNull(database, "database");
        this.collection = Objects.requireNonNull(collection, "collection");
    }

    /**
     * @param client the client (not closed by the feed)
     * @param database the database
     * @param collection the collection, also the name in {@code collection:<name>}
     * @return an unstarted feed
     */
    public static MongoChangeFeed create(MongoClient client, String database, String collection) {
        return new MongoChangeFeed(client, database, collection);
    }

    @Override
    public synchronized void start(Consumer<ChangeEvent> sink) {
        Objects.requireNonNull(sink, "sink");
        if (stream != null) {
            throw new IllegalStateException("already started");
        }
        stream = new ResumableChangeStream("feed-" + collection,
                client.getDatabase(database).getCollection(collection),
                List.of(Aggregates.match(Filters.in("operationType", "insert", "update", "replace", "delete"))),
                FullDocument.UPDATE_LOOKUP, Duration.ofSeconds(1),
                new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(5)),
                () -> Clients.isStandalone(client),
                event -> {
                    ChangeEvent change = toChange(event);
                    if (change != null) {
                        sink.accept(change);
                    }
                },
                new ResumableChangeStream.Hooks() {
                    @Override
                    public void gap(String reason) {
                        gaps.incrementAndGet();
                    }

                    @Override
                    public void fatal(MongoException error) {
                        log.error("Change feed of {}.{} cannot run: the server cannot run change streams ({}); it "
                                + "needs a replica set (mongod --replSet rs0, then rs.initiate())", database,
                                collection, error.getMessage());
                    }
                });
        stream.start();
    }

    /** @return true while the change stream is open */
    public boolean isOpen() {
        ResumableChangeStream s = stream;
        return s != null && s.isOpen();
    }

    /** @return how often the stream started again from now, possibly missing changes */
    public long gaps() {
        return gaps.get();
    }

    private ChangeEvent toChange(ChangeStreamDocument<Document> event) {
        String op = event.getOperationTypeString();
        if ("delete".equals(op)) {
            BsonDocument key = event.getDocumentKey();
            if (key == null || !key.containsKey("_id")) {
                return null;
            }
            String id = idText(key.get("_id"));
            ObjectNode item = JsonNodeFactory.instance.objectNode().put("id", id);
            return new ChangeEvent(ChangeEvent.Type.DELETED, collection, id, item);
        }
        Document full = event.getFullDocument();
        if (full == null || !full.containsKey("_id")) {
            log.debug("Change feed {}: {} of a document that is gone already, skipped", collection, op);
            return null;
        }
        ObjectNode item = Items.toItem(full);
        ChangeEvent.Type type = "insert".equals(op) ? ChangeEvent.Type.ADDED : ChangeEvent.Type.MODIFIED;
        return new ChangeEvent(type, collection, item.get("id").asText(), item);
    }

    private static String idText(BsonValue id) {
        if (id instanceof BsonObjectId o) {
            return Ids.text(o.getValue());
        }
        if (id.isString()) {
            return id.asString().getValue();
        }
        if (id.isInt32()) {
            return String.valueOf(id.asInt32().getValue());
        }
        if (id.isInt64()) {
            return String.valueOf(id.asInt64().getValue());
        }
        if (id.isDouble()) {
            return String.valueOf(id.asDouble().getValue());
        }
        return id.toString();
    }

    @Override
    public synchronized void close() {
        if (stream != null) {
            stream.close();
        }
    }
}
