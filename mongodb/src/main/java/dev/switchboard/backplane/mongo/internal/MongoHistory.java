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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable-topic history in two collections. A topic document per topic holds its epoch and latest
 * offset; an append takes the next offset with one atomic {@code findOneAndUpdate} ({@code $inc}, upsert,
 * the epoch set on insert; the offset is the latest before the update plus one), then inserts the entry {@code {k, e, o, ts, m, exp?}} (unique on topic and
 * offset) and trims entries past the retained count. Entries with an age limit carry their expiry time
 * {@code exp}, removed by a TTL index (and skipped by reads before that).
 *
 * <p>Between an append's counter update and its insert, a later offset of a concurrent append may
 * already be stored. A read therefore returns the contiguous run of entries only, and waits up to
 * {@link #HOLE_WAIT_MILLIS} for a missing offset that should be there. If it is still missing then, the
 * read <em>fences</em> it: it inserts a hole marker {@code {k, e, o, ts, hole: true}} at that offset. The
 * unique index lets only one of the marker and the entry in: when the marker wins, the append that took the
 * offset fails (its message is neither acknowledged nor delivered, so nobody misses it), and every read
 * from then on knows the offset is a hole for good; when the entry wins, the read returns it. So a read
 * never answers with a run that stops before a message that is later stored and delivered — which would
 * make a resume {@code recovered:false} although nothing was lost (found by the chaos soak at load 90,
 * where an insert came more than the earlier 500 ms after its counter update).
 *
 * <p>Every call runs on the given executor; the driver blocks there, never in the caller.
 */
public final class MongoHistory implements History {
    private static final Logger log = LoggerFactory.getLogger(MongoHistory.class);
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
    private static final String HOLE = "hole";
    /**
     * How long a read waits for an offset that an append has taken but not stored yet, before it fences the
     * offset as a hole (the append then fails).
     */
    static final long HOLE_WAIT_MILLIS = 3000;

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
            insertOne(key, epoch, entry);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // A read waited for this offset longer than HOLE_WAIT_MILLIS and fenced it: the offset is a hole
            // for every reader now, so this message must not be acknowledged (nor delivered).
            throw new BackplaneException("MongoDB history: offset " + entry.get(OFFSET) + " of " + key
                    + " was not stored within " + HOLE_WAIT_MILLIS + " ms of being taken and a read gave it up; "
                    + "the message was not appended", e);
        }
    }

    /**
     * Inserts an entry or a hole marker. A duplicate of an earlier epoch (the topic document was lost) is
     * deleted with the rest of that epoch's entries, and the insert tried again; a duplicate of the same epoch
     * throws.
     */
    private void insertOne(String key, String epoch, Document doc) {
        try {
            entries.insertOne(doc);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // Entries of an earlier epoch (the topic document was lost): they are history no more.
            entries.deleteMany(Filters.and(Filters.eq(KEY, key), Filters.ne(ENTRY_EPOCH, epoch)));
            entries.insertOne(doc);
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
        long keep = keep(topic);
        // The first offset the count retention still keeps: from there on, entries must all be present.
        long firstKept = Math.max(afterOffset + 1, latest - keep + 1);
        long expectedLast = Math.min(latest, firstKept + limit - 1);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLE_WAIT_MILLIS);
        boolean fenced = false;
        while (true) {
            Found found = find(key, epoch, afterOffset, latest, limit);
            // Complete: every offset from the first kept one on is an entry or a fenced hole. Otherwise an
            // append is between its counter update and its insert, or entries were trimmed by a newer append (or
            // expired by age) meanwhile: wait for the first, then fence what is still missing and read once more.
            if (fenced || found.complete(firstKept, expectedLast, limit, age > 0)) {
                return new HistoryRead(position, found.run());
            }
            if (System.nanoTime() - deadline >= 0) {
                fence(key, epoch, afterOffset, found, expectedLast, age);
                fenced = true;
                continue;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new HistoryRead(position, found.run());
            }
        }
    }

    private static long keep(Document topic) {
        return topic.get(KEEP) == null ? Long.MAX_VALUE : number(topic.get(KEEP));
    }

    /**
     * Inserts a hole marker at every offset up to {@code to} that the read did not find and that the count
     * retention still keeps (the topic document is read again: offsets trimmed meanwhile are not holes), so that
     * an append still holding one of them fails instead of storing its message after the read answered. An
     * offset whose entry arrived meanwhile keeps it. Nothing is fenced when the epoch changed meanwhile.
     */
    private void fence(String key, String epoch, long afterOffset, Found found, long to, long ageMillis) {
        Document topic = topics.find(Filters.eq("_id", key)).first();
        if (topic == null || !epoch.equals(topic.getString(EPOCH))) {
            return;
        }
        long from = Math.max(afterOffset + 1, number(topic.get(LATEST)) - keep(topic) + 1);
        if (ageMillis > 0) {
            from = Math.max(from, found.firstOffset()); // before the first found: expired, not taken
        }
        if (found.limited()) {
            to = Math.min(to, found.lastOffset()); // the read did not look further
        }
        Date now = new Date();
        for (long o = from; o <= to; o++) {
            if (found.offsets().contains(o)) {
                continue;
            }
            Document hole = new Document(KEY, key).append(ENTRY_EPOCH, epoch).append(OFFSET, o)
                    .append(TIME, now).append(HOLE, true);
            if (ageMillis > 0) {
                hole.append(EXPIRES, new Date(now.getTime() + ageMillis));
            }
            try {
                insertOne(key, epoch, hole);
                log.warn("MongoDB history: offset {} of {} was taken but not stored within {} ms; fenced as a hole "
                        + "(the append that took it fails)", o, key, HOLE_WAIT_MILLIS);
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                // The entry was stored meanwhile (or is there, expired by age): the read sees what is left next.
            }
        }
    }

    /**
     * What a read found.
     *
     * @param run the entries up to the first offset missing or fenced as a hole
     * @param offsets every offset found, hole markers included
     * @param firstOffset the first offset found (0 for none)
     * @param resolvedUpTo the last offset of the consecutive offsets found from {@code firstOffset} on (holes
     *     included)
     * @param lastOffset the last offset found
     * @param limited true when the read found as many documents as it asked for (it did not look further)
     */
    private record Found(List<HistoryEntry> run, java.util.Set<Long> offsets, long firstOffset, long resolvedUpTo,
                         long lastOffset, boolean limited) {
        /**
         * @param byAge true when the topic has an age limit: offsets before the first found are expired
         * @return true when no offset from {@code firstKept} to {@code expectedLast} may still be stored
         */
        boolean complete(long firstKept, long expectedLast, int limit, boolean byAge) {
            return !offsets.isEmpty() && (firstOffset <= firstKept || byAge)
                    && (resolvedUpTo >= expectedLast || resolvedUpTo - firstOffset + 1 >= limit);
        }
    }

    private Found find(String key, String epoch, long afterOffset, long last, int limit) {
        Date now = new Date();
        Bson filter = Filters.and(Filters.eq(KEY, key), Filters.eq(ENTRY_EPOCH, epoch),
                Filters.gt(OFFSET, afterOffset), Filters.lte(OFFSET, last),
                Filters.or(Filters.exists(EXPIRES, false), Filters.gt(EXPIRES, now)));
        List<HistoryEntry> run = new ArrayList<>();
        java.util.Set<Long> offsets = new java.util.HashSet<>();
        long first = 0;
        long resolved = 0;
        long previous = 0;
        boolean inRun = true;
        for (Document d : entries.find(filter).sort(Sorts.ascending(OFFSET)).limit(limit)) {
            long o = number(d.get(OFFSET));
            if (offsets.isEmpty()) {
                first = o;
                resolved = o;
            } else if (o == previous + 1 && resolved == previous) {
                resolved = o;
            } else {
                inRun = false; // an offset is missing: nothing after it is part of the run
            }
            offsets.add(o);
            previous = o;
            if (Boolean.TRUE.equals(d.getBoolean(HOLE))) {
                inRun = false; // a fenced hole: a read never returns past it, as past a missing offset
            } else if (inRun) {
                Binary m = d.get(MESSAGE, Binary.class);
                run.add(new HistoryEntry(o, d.getDate(TIME).getTime(), m.getData()));
            }
        }
        return new Found(run, offsets, first, resolved, previous, offsets.size() >= limit);
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
