package dev.switchboard.backplane.mongo.internal;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.switchboard.BackplaneException;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.spi.HistoryRead;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bson.BsonBinary;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Binary;

/**
 * Durable-topic history in two collections. A topic document per topic holds its epoch and latest
 * offset; an append takes the next offset with one atomic {@code findOneAndUpdate} ({@code $inc}, upsert,
 * the epoch set on insert; the offset is the latest before the update plus one), then inserts the entry {@code {k, e, o, ts, m, exp?}} (unique on topic and
 * offset) and trims entries past the retained count. Entries with an age limit carry their expiry time
 * {@code exp}, removed by a TTL index (and skipped by reads before that).
 *
 * <p>Between an append's counter update and its insert, a later offset of a concurrent append may
 * already be stored. A read therefore returns the contiguous run of entries only, waiting briefly for a
 * missing offset that should be there, so readers never see a hole.
 *
 * <p>Every call runs on the given executor; the driver blocks there, never in the caller.
 */
public final class MongoHistory implements History {
    private static final String EPOCH = "epoch";
    private static final String LATEST = "latest";
    private static final String KEEP = "keep";
    private static final String AGE = "age";
    private static final String APPENDED = "at";
    private static final String KEY = "k";
    private static final String ENTRY_EPOCH = "e";
    private static final String OFFSET = "o";
    private static final String TIME = "ts";
    private static final String MESSAGE = "m";
    private static final String EXPIRES = "exp";
    /** How long a read waits in all for an offset that a concurrent append has taken but not stored yet. */
    private static final long HOLE_WAIT_MILLIS = 500;

    private final MongoCollection<Document> topics;
    private final MongoCollection<Document> entries;
    private final String namespace;
    private final ExecutorService executor;
    private volatile boolean indexed;

    /**
     * @param topics the topic counters collection
     * @param entries the entries collection
     * @param namespace the cluster's namespace, prefixed to every topic key
     * @param executor runs every call
     */
    public MongoHistory(MongoCollection<Document> topics, MongoCollection<Document> entries, String namespace,
                        ExecutorService executor) {
        this.topics = topics;
        this.entries = entries;
        this.namespace = namespace;
        this.executor = executor;
    }

    /** Creates the indexes if missing. Blocks on the server. */
    public void ensureIndexes() {
        entries.createIndex(Indexes.ascending(KEY, OFFSET), new IndexOptions().unique(true).name("topic_offset"));
        entries.createIndex(Indexes.ascending(EXPIRES),
                new IndexOptions().expireAfter(0L, TimeUnit.SECONDS).name("expiry"));
        indexed = true;
    }

    @Override
    public CompletableFuture<StreamPosition> append(String topic, byte[] message, Retention retention) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(retention, "retention");
        if (message.length > MessageDocuments.MAX_PAYLOAD) {
            return CompletableFuture.failedFuture(new BackplaneException("history message of " + message.length
                    + " bytes exceeds the MongoDB limit of " + MessageDocuments.MAX_PAYLOAD + " bytes", null));
        }
        return call("append to " + topic, () -> doAppend(key(topic), message, retention));
    }

    @Override
    public CompletableFuture<HistoryRead> read(String topic, long afterOffset, int limit) {
        Objects.requireNonNull(topic, "topic");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + limit);
        }
        return call("read " + topic, () -> doRead(key(topic), afterOffset, limit));
    }

    private String key(String topic) {
        return namespace + "/" + topic;
    }

    private <T> CompletableFuture<T> call(String what, Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    if (!indexed) {
                        ensureIndexes();
                    }
                    return work.get();
                } catch (MongoException e) {
                    throw new CompletionException(new BackplaneException("MongoDB history: cannot " + what + ": "
                            + e.getMessage(), e));
                }
            }, executor);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new BackplaneException("MongoDB history is closed", e));
        }
    }

    private StreamPosition doAppend(String key, byte[] message, Retention retention) {
        long now = System.currentTimeMillis();
        String fresh = newEpoch();
        Document before = upsert(key, Updates.combine(Updates.inc(LATEST, 1L),
                Updates.set(KEEP, retention.maxMessages()), Updates.set(AGE, retention.maxAgeMillis()),
                Updates.set(APPENDED, now),
                Updates.setOnInsert(EPOCH, fresh)));
        String epoch = before == null ? fresh : before.getString(EPOCH);
        long offset = before == null ? 1 : number(before.get(LATEST)) + 1;
        Document entry = new Document(KEY, key).append(ENTRY_EPOCH, epoch).append(OFFSET, offset)
                .append(TIME, new Date(now)).append(MESSAGE, new BsonBinary(message));
        if (retention.maxAge() != null) {
            entry.append(EXPIRES, new Date(now + retention.maxAgeMillis()));
        }
        insertEntry(key, epoch, entry);
        if (offset > retention.maxMessages()) {
            entries.deleteMany(Filters.and(Filters.eq(KEY, key), Filters.lte(OFFSET, offset - retention.maxMessages())));
        }
        return new StreamPosition(epoch, offset);
    }

    private void insertEntry(String key, String epoch, Document entry) {
        try {
            entries.insertOne(entry);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // Entries of an earlier epoch (the topic document was lost): they are history no more.
            entries.deleteMany(Filters.and(Filters.eq(KEY, key), Filters.ne(ENTRY_EPOCH, epoch)));
            entries.insertOne(entry);
        }
    }

    private HistoryRead doRead(String key, long afterOffset, int limit) {
        String fresh = newEpoch();
        Document before = upsert(key, Updates.setOnInsert(EPOCH, fresh));
        Document topic = before == null ? new Document(EPOCH, fresh) : before;
        String epoch = topic.getString(EPOCH);
        long latest = number(topic.get(LATEST));
        StreamPosition position = new StreamPosition(epoch, latest);
        long age = number(topic.get(AGE));
        boolean allExpired = age > 0 && System.currentTimeMillis() - number(topic.get(APPENDED)) > age;
        if (limit == 0 || afterOffset >= latest || allExpired) {
            return new HistoryRead(position, List.of());
        }
        long keep = topic.get(KEEP) == null ? Long.MAX_VALUE : number(topic.get(KEEP));
        // The first offset the count retention still keeps: from there on, entries must all be present.
        long firstKept = Math.max(afterOffset + 1, latest - keep + 1);
        long expectedLast = Math.min(latest, firstKept + limit - 1);
        long deadline = System.currentTimeMillis() + HOLE_WAIT_MILLIS;
        while (true) {
            List<HistoryEntry> run = contiguous(find(key, epoch, afterOffset, latest, limit));
            boolean complete = !run.isEmpty() && run.get(0).offset() <= firstKept
                    && (run.get(run.size() - 1).offset() >= expectedLast || run.size() == limit);
            // Incomplete: an append is between its counter update and its insert, or entries expired by age
            // or were trimmed by a newer append meanwhile; wait briefly for the first, then return the run.
            if (complete || System.currentTimeMillis() >= deadline) {
                return new HistoryRead(position, run);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new HistoryRead(position, run);
            }
        }
    }

    private List<HistoryEntry> find(String key, String epoch, long afterOffset, long last, int limit) {
        Date now = new Date();
        Bson filter = Filters.and(Filters.eq(KEY, key), Filters.eq(ENTRY_EPOCH, epoch),
                Filters.gt(OFFSET, afterOffset), Filters.lte(OFFSET, last),
                Filters.or(Filters.exists(EXPIRES, false), Filters.gt(EXPIRES, now)));
        List<HistoryEntry> out = new ArrayList<>();
        for (Document d : entries.find(filter).sort(Sorts.ascending(OFFSET)).limit(limit)) {
            Binary m = d.get(MESSAGE, Binary.class);
            out.add(new HistoryEntry(number(d.get(OFFSET)), d.getDate(TIME).getTime(), m.getData()));
        }
        return out;
    }

    /** @return the entries up to the first missing offset */
    private static List<HistoryEntry> contiguous(List<HistoryEntry> found) {
        int n = 1;
        while (n < found.size() && found.get(n).offset() == found.get(n - 1).offset() + 1) {
            n++;
        }
        return found.isEmpty() ? found : found.subList(0, n);
    }

    /**
     * @return the topic document as it was before the update, or null when the update inserted it. The
     *     document before is what the update acted on atomically (a server may hand out the document
     *     after later updates as the "after" document; the one before cannot change)
     */
    private Document upsert(String key, Bson update) {
        FindOneAndUpdateOptions options = new FindOneAndUpdateOptions().upsert(true)
                .returnDocument(ReturnDocument.BEFORE);
        try {
            return topics.findOneAndUpdate(Filters.eq("_id", key), update, options);
        } catch (MongoException e) {
            // Two first appends raced to insert the topic document: the loser updates the winner's.
            if (e.getCode() == 11000) {
                return topics.findOneAndUpdate(Filters.eq("_id", key), update, options);
            }
            throw e;
        }
    }

    private static long number(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    private static String newEpoch() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
