package dev.switchboard.backplane.mongo.internal;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.switchboard.backplane.mongo.MongoBackplaneOptions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up the messages collection (capped, or with a TTL index on the message time) and keeps the
 * marker that tells whether the server still holds the same data: a document in the topics collection
 * with a random id, created once. When a resumed change stream finds a different marker, the server was
 * replaced or wiped, and its resume token means nothing there. Called on the change stream's thread.
 */
public final class MessageCollection {
    private static final Logger log = LoggerFactory.getLogger(MessageCollection.class);
    /** NamespaceExists, IndexOptionsConflict, IndexKeySpecsConflict. */
    private static final int NAMESPACE_EXISTS = 48;

    private final MongoDatabase database;
    private final MongoBackplaneOptions options;
    private final MongoCollection<Document> markers;
    private volatile boolean prepared;
    private volatile String marker;

    /** @param database the backplane's database @param options its settings */
    public MessageCollection(MongoDatabase database, MongoBackplaneOptions options) {
        this.database = database;
        this.options = options;
        this.markers = database.getCollection(options.topicsCollection());
    }

    /** @return true once {@link #prepare()} succeeded */
    public boolean isPrepared() {
        return prepared;
    }

    /** Creates the collection and its index if missing, and reads the marker. Blocks on the server; once. */
    public void prepare() {
        if (prepared) {
            return;
        }
        String name = options.messagesCollection();
        boolean exists = database.listCollectionNames().into(new java.util.ArrayList<>()).contains(name);
        if (!exists) {
            try {
                CreateCollectionOptions create = new CreateCollectionOptions();
                if (options.cappedBytes() > 0) {
                    create.capped(true).sizeInBytes(options.cappedBytes());
                }
                database.createCollection(name, create);
            } catch (MongoCommandException e) {
                if (e.getErrorCode() != NAMESPACE_EXISTS) {
                    throw e;
                }
            }
        }
        if (options.messageTtl() != null) {
            try {
                database.getCollection(name).createIndex(Indexes.ascending(MessageDocuments.TIME),
                        new IndexOptions().expireAfter(options.messageTtl().toSeconds(), TimeUnit.SECONDS)
                                .name("switchboard_ttl"));
            } catch (MongoCommandException e) {
                log.warn("Mongo backplane: cannot create the TTL index on {}.{} (an index on \"t\" with other "
                        + "options exists?): {}", options.database(), name, e.getErrorMessage());
            }
        }
        marker = readMarker();
        prepared = true;
    }

    /**
     * @return true when the server holds the marker read at {@link #prepare()}; false when it was replaced
     *     (the marker is then renewed and the collection set up again on the next {@link #prepare()})
     */
    public boolean sameServerData() {
        String now = readMarker();
        String before = marker;
        if (before == null || before.equals(now)) {
            marker = now;
            return true;
        }
        marker = now;
        prepared = false;
        return false;
    }

    private String readMarker() {
        Document id = new Document("instance", options.namespace());
        Document d = markers.findOneAndUpdate(Filters.eq("_id", id),
                Updates.setOnInsert("id", UUID.randomUUID().toString()),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return d == null ? null : d.getString("id");
    }
}
