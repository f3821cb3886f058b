package dev.switchboard.crud.mongo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.UpdateResult;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.crud.Page;
import dev.switchboard.crud.Query;
import dev.switchboard.crud.Quota;
import dev.switchboard.crud.QuotaExceededException;
import dev.switchboard.crud.Repository;
import dev.switchboard.crud.mongo.internal.Ids;
import dev.switchboard.crud.mongo.internal.Items;
import dev.switchboard.crud.mongo.internal.Queries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * A {@link Repository} on one MongoDB collection. An item {@code {"id", …fields, "version"}} is stored
 * as {@code {_id, …fields, version}}; new items get an {@link ObjectId} (their id is its hex text).
 * Documents written by other programs are served too: their {@code _id} as text is the id (a client's
 * id is looked up as a string, an ObjectId and a number), a missing {@code version} reads as 0.
 *
 * <p>LIST translates filters and sort into one MongoDB query ({@code countDocuments} for the total);
 * field names are checked (the allowed set, and never {@code $…} or dotted) and filter values are used as
 * literals only. Writes are compare-and-set on {@code version} in one conditional {@code replaceOne} or
 * {@code deleteOne}: of two concurrent writers with the same expected version exactly one wins, the
 * other gets {@code conflict}.
 *
 * <p>A {@link Quota} bounds each item's size (its fields as JSON, checked before the write) and the
 * item count (checked with {@code countDocuments} before an insert; concurrent creates may overshoot it
 * by the number in flight). Past it a write fails with {@link QuotaExceededException}.
 *
 * <p>Thread-safe; every method blocks on the server (the core calls it on handler threads). A server
 * failure is {@code unavailable}.
 */
public final class MongoRepository implements Repository {
    private static final int RETRIES = 10;

    private final MongoCollection<Document> collection;
    private final Set<String> fields;
    private final Quota quota;

    private MongoRepository(MongoCollection<Document> collection, Set<String> fields, Quota quota) {
        this.collection = Objects.requireNonNull(collection, "collection");
        this.fields = Set.copyOf(fields);
        this.quota = Objects.requireNonNull(quota, "quota");
        for (String f : this.fields) {
            Items.checkName(f);
        }
    }

    /**
     * @param collection the items' collection
     * @return a repository that lets clients filter and sort on any field with a safe name
     */
    public static MongoRepository create(MongoCollection<Document> collection) {
        return new MongoRepository(collection, Set.of(), Quota.unlimited());
    }

    /**
     * @param collection the items' collection
     * @param fields the only fields clients may filter and sort on, besides {@code id} and {@code version}
     * @return the repository
     */
    public static MongoRepository create(MongoCollection<Document> collection, Set<String> fields) {
        return new MongoRepository(collection, fields, Quota.unlimited());
    }

    /**
     * @param collection the items' collection
     * @param fields the only fields clients may filter and sort on (empty: any field with a safe name)
     * @param quota the most items and the largest item
     * @return the repository
     */
    public static MongoRepository create(MongoCollection<Document> collection, Set<String> fields, Quota quota) {
        return new MongoRepository(collection, fields, quota);
    }

    /** @return the collection */
    public MongoCollection<Document> collection() {
        return collection;
    }

    @Override
    public Optional<ObjectNode> get(String id) {
        return call(() -> Optional.ofNullable(find(id)).map(Items::toItem));
    }

    @Override
    public Page list(Query query) {
        Bson filter = Queries.filter(query.filters(), fields);
        Bson sort = Queries.sort(query.sort(), fields);
        return call(() -> {
            long total = collection.countDocuments(filter);
            List<ObjectNode> items = new ArrayList<>(query.size());
            if (query.offset() < total) {
                for (Document d : collection.find(filter).sort(sort)
                        .skip((int) Math.min(Integer.MAX_VALUE, query.offset())).limit(query.size())) {
                    items.add(Items.toItem(d));
                }
            }
            return new Page(items, query.page(), query.size(), total);
        });
    }

    @Override
    public ObjectNode create(ObjectNode item) {
        quota.checkItem(Quota.fieldsOf(item));
        Document doc = new Document("_id", new ObjectId());
        doc.putAll(Items.fields(item));
        doc.append(Items.VERSION, 1L);
        return call(() -> {
            if (quota.maxItems() > 0) {
                quota.checkCreate(collection.countDocuments());
            }
            collection.insertOne(doc);
            return Items.toItem(doc);
        });
    }

    @Override
    public ObjectNode replace(String id, ObjectNode item, Long expectedVersion) {
        quota.checkItem(Quota.fieldsOf(item));
        Document fieldsOf = Items.fields(item);
        return call(() -> {
            for (int attempt = 1; ; attempt++) {
                Document current = find(id);
                if (current == null) {
                    throw notFound(id);
                }
                long version = version(current);
                if (expectedVersion != null && expectedVersion != version) {
                    throw conflict(id, expectedVersion, version);
                }
                Document next = new Document("_id", current.get("_id"));
                next.putAll(fieldsOf);
                next.append(Items.VERSION, version + 1);
                UpdateResult r = collection.replaceOne(at(current.get("_id"), version), next);
                if (r.getMatchedCount() == 1) {
                    return Items.toItem(next);
                }
                lostRace(id, expectedVersion, attempt);
            }
        });
    }

    @Override
    public Optional<ObjectNode> delete(String id, Long expectedVersion) {
        return call(() -> {
            for (int attempt = 1; ; attempt++) {
                Document current = find(id);
                if (current == null) {
                    return Optional.<ObjectNode>empty();
                }
                long version = version(current);
                if (expectedVersion != null && expectedVersion != version) {
                    throw conflict(id, expectedVersion, version);
                }
                DeleteResult r = collection.deleteOne(at(current.get("_id"), version));
                if (r.getDeletedCount() == 1) {
                    return Optional.of(Items.toItem(current));
                }
                if (find(id) == null) {
                    return Optional.<ObjectNode>empty();
                }
                lostRace(id, expectedVersion, attempt);
            }
        });
    }

    /** Another write changed the item between our read and our conditional write. */
    private void lostRace(String id, Long expectedVersion, int attempt) {
        Document now = find(id);
        if (now == null) {
            throw notFound(id);
        }
        if (expectedVersion != null) {
            throw conflict(id, expectedVersion, version(now));
        }
        if (attempt >= RETRIES) {
            throw new SwitchboardException(ErrorCode.CONFLICT, id + " keeps changing; try again");
        }
    }

    private Document find(String id) {
        return collection.find(Filters.in("_id", Ids.candidates(id))).first();
    }

    /** The document with this _id, still at this version (a missing version field counts as 0). */
    private static Bson at(Object id, long version) {
        Bson v = version == 0 ? Filters.in(Items.VERSION, Arrays.asList(0L, null)) : Filters.eq(Items.VERSION, version);
        return Filters.and(Filters.eq("_id", id), v);
    }

    private static long version(Document d) {
        return d.get(Items.VERSION) instanceof Number n ? n.longValue() : 0;
    }

    private static <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (MongoException e) {
            throw new SwitchboardException(ErrorCode.UNAVAILABLE, "MongoDB is unavailable: " + e.getMessage(), e);
        }
    }

    private static SwitchboardException notFound(String id) {
        return new SwitchboardException(ErrorCode.NOT_FOUND, id + " does not exist");
    }

    private static SwitchboardException conflict(String id, long expected, long actual) {
        return new SwitchboardException(ErrorCode.CONFLICT, id + " is at version " + actual + ", not " + expected);
    }
}
