package dev.switchboard.backplane.mongo.internal;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertManyOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inserts published messages from a bounded queue on its own thread, so that publishing never blocks
 * the caller. Messages leave in queue order (one ordered {@code insertMany} per batch), which keeps the
 * publish order of this node in the oplog.
 *
 * <p>When an insert fails (the server is down, a failover outlasted the driver's retry), the messages of
 * that batch and every queued one are dropped and counted, and so is every message offered until a
 * {@code ping} succeeds again: during an outage {@link #offer} fails fast instead of queueing stale
 * messages. Until the messages collection is set up (the first connection), messages are dropped too.
 */
public final class Publisher {
    private static final Logger log = LoggerFactory.getLogger(Publisher.class);

    private record Outgoing(String to, byte[] payload, boolean echo) { }

    private final MongoDatabase database;
    private final MongoCollection<Document> messages;
    private final String namespace;
    private final int maxBatch;
    private final Backoff backoff;
    private final BlockingQueue<Outgoing> queue;
    private final java.util.function.BooleanSupplier ready;
    private final AtomicLong dropped = new AtomicLong();
    private volatile String nodeId;
    private volatile Thread thread;
    private volatile boolean insertsOk = true;
    private volatile String lastError = "";
    private volatile boolean closing;
    private volatile boolean closed;

    /**
     * @param database the database (for {@code ping})
     * @param messages the messages collection
     * @param namespace the cluster's namespace
     * @param capacity the queue's capacity
     * @param maxBatch the most messages per insert
     * @param backoff pauses between pings during an outage
     * @param ready true once the messages collection is set up; until then messages are dropped
     */
    public Publisher(MongoDatabase database, MongoCollection<Document> messages, String namespace, int capacity,
                     int maxBatch, Backoff backoff, java.util.function.BooleanSupplier ready) {
        this.ready = ready;
        this.database = database;
        this.messages = messages;
        this.namespace = namespace;
        this.maxBatch = maxBatch;
        this.backoff = backoff;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** @param node this node's id, written into every message @param name a name for the thread */
    public void start(String node, String name) {
        this.nodeId = node;
        Thread t = new Thread(this::run, "switchboard-mongo-publish-" + name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * Queues a message without blocking.
     *
     * @param to the target node, or null for all
     * @param payload the message
     * @param echo true when the publishing node must receive it too
     * @return false when it was dropped (queue full, outage, closed) and counted
     */
    public boolean offer(String to, byte[] payload, boolean echo) {
        if (closing || !insertsOk || !ready.getAsBoolean() || !queue.offer(new Outgoing(to, payload, echo))) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** @return messages dropped since start */
    public long dropped() {
        return dropped.get();
    }

    /** @return false after a failed insert until the server answers again */
    public boolean insertsOk() {
        return insertsOk;
    }

    /** @return the last insert failure, or empty */
    public String lastError() {
        return lastError;
    }

    private void run() {
        List<Outgoing> batch = new ArrayList<>(maxBatch);
        List<Document> docs = new ArrayList<>(maxBatch);
        while (!closed && !(closing && queue.isEmpty())) {
            Outgoing first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (first == null) {
                continue;
            }
            batch.clear();
            docs.clear();
            batch.add(first);
            queue.drainTo(batch, maxBatch - 1);
            for (Outgoing o : batch) {
                docs.add(MessageDocuments.message(namespace, nodeId, o.to(), o.payload(), o.echo()));
            }
            insert(docs);
        }
        queue.clear();
    }

    private void insert(List<Document> docs) {
        try {
            if (docs.size() == 1) {
                messages.insertOne(docs.get(0));
            } else {
                messages.insertMany(docs, new InsertManyOptions().ordered(true));
            }
            insertsOk = true;
        } catch (MongoBulkWriteException e) {
            outage(docs.size() - e.getWriteResult().getInsertedCount(), e);
        } catch (MongoException e) {
            outage(docs.size(), e);
        }
    }

    private void outage(int lost, MongoException e) {
        insertsOk = false;
        lastError = "insert failed: " + e.getMessage();
        dropped.addAndGet(lost + drainQueue());
        log.warn("Mongo backplane: {} message(s) dropped, inserts fail: {}", lost, e.toString());
        while (!closed && !closing) {
            if (!backoff.pause()) {
                return;
            }
            dropped.addAndGet(drainQueue());
            try {
                database.runCommand(new Document("ping", 1));
                insertsOk = true;
                lastError = "";
                backoff.reset();
                log.info("Mongo backplane: inserts work again");
                return;
            } catch (MongoException again) {
                lastError = "insert failed: " + again.getMessage();
            }
        }
    }

    private int drainQueue() {
        List<Outgoing> drained = new ArrayList<>();
        queue.drainTo(drained);
        return drained.size();
    }

    /**
     * Stops accepting messages, lets the thread insert what is queued for up to {@code flush}, then stops
     * it. Idempotent.
     *
     * @param flush how long to wait for queued messages
     */
    public void close(Duration flush) {
        closing = true;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(flush.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closed = true;
            t.interrupt();
        }
        closed = true;
        dropped.addAndGet(drainQueue());
    }
}
