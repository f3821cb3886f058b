package dev.switchboard.backplane.mongo;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.changestream.FullDocument;
import dev.switchboard.BackplaneException;
import dev.switchboard.ErrorCode;
import dev.switchboard.PreparedMessage;
import dev.switchboard.backplane.mongo.internal.MessageCollection;
import dev.switchboard.backplane.mongo.internal.MessageDocuments;
import dev.switchboard.backplane.mongo.internal.MongoHistory;
import dev.switchboard.mongodb.internal.Clients;
import dev.switchboard.mongodb.internal.ResumableChangeStream;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneCapabilities;
import dev.switchboard.spi.BackplaneLink;
import dev.switchboard.spi.BackplaneOptions;
import dev.switchboard.spi.History;
import dev.switchboard.spi.Outbound;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backplane on MongoDB change streams. Each published message is one document inserted into the
 * messages collection ({@code {ns, f: from-node, to: node or null, p: payload, t: time}}); every node
 * watches that collection with a change stream whose pipeline keeps the inserts of other nodes (and of
 * none but its namespace) addressed to all nodes or to it, and hands their payloads to the listener.
 * Durable topics are kept in two collections (see {@link #history()}).
 *
 * <pre>{@code
 * Switchboard board = Switchboard.builder()
 *     .backplane(MongoBackplane.create("mongodb://db1,db2,db3/?replicaSet=rs0"))
 *     .build();
 * }</pre>
 *
 * <p><b>Requirements.</b> Change streams need a replica set (one node is enough) or a sharded cluster; a
 * standalone {@code mongod} is refused by {@link #start} with a {@link BackplaneException} that names the
 * fix.
 *
 * <p><b>Threading.</b> The core's pipeline hands it batches, each inserted with one ordered
 * {@code insertMany} (the pipeline owns the queue, dropping while inserts fail, liveness and health). A
 * thread reads the change stream and hands what it reads to the core. History calls run on a small pool.
 *
 * <p><b>Delivery.</b> At most once, in publish order per publishing node. The change stream keeps its
 * resume token: after a network error, a failover or a server restart it resumes where it stopped, so
 * messages inserted meanwhile are still delivered. When the token can no longer be resumed from (it fell
 * off the oplog, or the server's data was replaced), the stream starts again from now and the gap is
 * counted ({@link #gaps()}) and shown in the health detail; durable topics recover from the history.
 *
 * <p><b>Size.</b> A message may have up to {@link #MAX_MESSAGE_BYTES} bytes (16 MiB less room for the
 * document and change-event envelopes), declared in {@link #capabilities()}: the core refuses a larger
 * one with {@link BackplaneException} and sends nothing.
 */
public final class MongoBackplane implements Backplane {
    /** The largest message {@link #publish} accepts: 16 MiB − 16 KiB. */
    public static final int MAX_MESSAGE_BYTES = MessageDocuments.MAX_PAYLOAD;

    private static final Logger log = LoggerFactory.getLogger(MongoBackplane.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final MongoBackplaneOptions options;
    private final MongoClient client;
    private final boolean ownsClient;
    private final MongoDatabase database;
    private final MessageCollection messages;
    private final MongoCollection<Document> messageCollection;
    private final ExecutorService historyExecutor;
    private final MongoHistory history;
    private final AtomicLong gaps = new AtomicLong();
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile ResumableChangeStream stream;
    private volatile String streamProblem = "not started";
    private volatile String lastGap = "";
    private volatile MongoException fatal;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile BackplaneLink link;
    private volatile String nodeId;

    private MongoBackplane(MongoBackplaneOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.ownsClient = options.client() == null;
        this.client = ownsClient ? Clients.create(options.connectionString(), options.serverSelectionTimeout())
                : options.client();
        this.database = client.getDatabase(options.database());
        this.messages = new MessageCollection(database, options);
        this.messageCollection = database.getCollection(options.messagesCollection());
        int n = INSTANCES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.historyExecutor = Executors.newFixedThreadPool(options.historyThreads(), r -> {
            Thread t = new Thread(r, "switchboard-mongo-history-" + n + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.history = new MongoHistory(database.getCollection(options.topicsCollection()),
                database.getCollection(options.historyCollection()), options.namespace(), historyExecutor);
    }

    /**
     * @param options the settings
     * @return a new, unstarted backplane (one per node)
     */
    public static MongoBackplane create(MongoBackplaneOptions options) {
        return new MongoBackplane(options);
    }

    /**
     * @param uri a {@code mongodb://} URI, settings as in {@link MongoBackplaneOptions#fromUri(String)}
     * @return a new, unstarted backplane (one per node)
     * @throws IllegalArgumentException when the URI is malformed
     */
    public static MongoBackplane create(String uri) {
        return new MongoBackplane(MongoBackplaneOptions.fromUri(uri));
    }

    @Override
    public String name() {
        return "mongodb";
    }

    /** @return the settings this backplane was created with */
    public MongoBackplaneOptions options() {
        return options;
    }

    @Override
    public BackplaneOptions sharedOptions() {
        return options.backplane();
    }

    @Override
    public BackplaneCapabilities capabilities() {
        return BackplaneCapabilities.defaults().withDurableHistory(true).withMaxMessageBytes(MAX_MESSAGE_BYTES);
    }

    /**
     * Starts the change stream, and waits up to {@link BackplaneOptions#startTimeout()} for it to open. If
     * the server does not answer in that time the backplane keeps trying in the background.
     *
     * @throws BackplaneException when the server cannot run change streams (a standalone server); the
     *     message names the fix
     * @throws IllegalStateException when started twice
     */
    @Override
    public void start(BackplaneLink link) {
        Objects.requireNonNull(link, "link");
        synchronized (this) {
            if (started || closed) {
                throw new IllegalStateException(closed ? "closed" : "already started");
            }
            started = true;
            this.link = link;
            this.nodeId = link.nodeId();
        }
        streamProblem = "connecting to " + options.describeServer();
        ResumableChangeStream s = stream(link.nodeId());
        stream = s;
        s.start();
        try {
            settled.await(options.backplane().startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        MongoException f = fatal;
        if (f != null) {
            close();
            throw new BackplaneException(noChangeStreamsMessage(f), f);
        }
        if (!s.isOpen()) {
            log.warn("Mongo backplane: {} not reachable yet ({}); retrying in the background",
                    options.describeServer(), streamProblem);
            link.disconnected("change stream not open: " + streamProblem);
            if (s.isOpen()) {
                link.connected(openDetail()); // it opened meanwhile
            }
        }
    }

    private ResumableChangeStream stream(String node) {
        return new ResumableChangeStream(node, database.getCollection(options.messagesCollection()),
                MessageDocuments.pipeline(options.namespace(), node), FullDocument.DEFAULT,
                options.maxAwaitTime(), link.backoff(), this::standaloneServer,
                event -> deliver(event.getFullDocument()), new StreamHooks());
    }

    private void deliver(Document fullDocument) {
        byte[] payload = MessageDocuments.payload(fullDocument);
        if (payload != null && !closed) {
            link.received(payload);
        }
    }

    /** Inserts a batch with one ordered {@code insertMany}; blocks for its round trip. */
    @Override
    public void publish(List<Outbound> batch) {
        if (!messages.isPrepared()) {
            throw new BackplaneException("MongoDB backplane: the messages collection is not set up yet ("
                    + streamProblem + ")", null);
        }
        List<Document> docs = new ArrayList<>(batch.size());
        for (Outbound o : batch) {
            docs.add(MessageDocuments.message(options.namespace(), nodeId, o.target(), o.message(), false));
        }
        try {
            if (docs.size() == 1) {
                messageCollection.insertOne(docs.get(0));
            } else {
                messageCollection.insertMany(docs, new InsertManyOptions().ordered(true));
            }
        } catch (MongoBulkWriteException e) {
            throw new BackplaneException("MongoDB backplane: " + (docs.size() - e.getWriteResult().getInsertedCount())
                    + " of " + docs.size() + " inserts failed: " + e.getMessage(), e);
        }
    }

    /** Opens a new change stream for the new node id (from now), then closes the old one. */
    @Override
    public synchronized boolean rename(String fresh) {
        ResumableChangeStream old = stream;
        if (closed || old == null) {
            return false;
        }
        nodeId = fresh;
        ResumableChangeStream s = stream(fresh);
        stream = s;
        s.start();
        Thread closer = new Thread(old::close, "switchboard-mongo-stream-close");
        closer.setDaemon(true);
        closer.start();
        return true;
    }

    /**
     * The transactional publish: inserts a prepared message with the application's session, so that when
     * the session has a transaction open, the nodes receive the message if and only if the transaction
     * commits. Every node delivers it, this one included. Needs a TTL messages collection (MongoDB does
     * not allow writes to capped collections in transactions). Blocks the caller for the insert, like any
     * other write of its transaction.
     *
     * <pre>{@code
     * try (ClientSession session = client.startSession()) {
     *     session.withTransaction(() -> {
     *         orders.insertOne(session, order);
     *         backplane.publish(session, board.to(Audience.topic("orders")).prepare("order.created", order));
     *         return null;
     *     });
     * }
     * }</pre>
     *
     * @param session the application's session, from the same deployment
     * @param message a message made by {@link dev.switchboard.Emitter#prepare}
     * @throws BackplaneException when the message is too large or the insert fails
     * @throws IllegalStateException before {@link #start}
     */
    public void publish(ClientSession session, PreparedMessage message) {
        Objects.requireNonNull(session, "session");
        byte[] bytes = checkSize(Objects.requireNonNull(message, "message").bytes());
        String node = publisherNode();
        try {
            database.getCollection(options.messagesCollection())
                    .insertOne(session, MessageDocuments.message(options.namespace(), node, null, bytes, true));
        } catch (MongoException e) {
            throw new BackplaneException("MongoDB backplane: cannot insert the prepared message \""
                    + message.event() + "\": " + e.getMessage(), e);
        }
    }

    private String publisherNode() {
        String n = nodeId;
        if (n == null) {
            throw new IllegalStateException("start the backplane first");
        }
        return n;
    }

    private static byte[] checkSize(byte[] message) {
        Objects.requireNonNull(message, "message");
        if (message.length > MAX_MESSAGE_BYTES) {
            throw new BackplaneException(ErrorCode.TOO_LARGE, "message of " + message.length
                    + " bytes is larger than the MongoDB backplane's limit of " + MAX_MESSAGE_BYTES
                    + " bytes (a MongoDB document holds at most 16 MiB); nothing was sent", null);
        }
        return message;
    }

    /** @return how often the change stream had to start again from now, possibly missing messages */
    public long gaps() {
        return gaps.get();
    }

    /** @return the durable-topic store in this backplane's database: always present */
    @Override
    public Optional<History> history() {
        return Optional.of(history);
    }

    /** Stops the change stream, closes an owned client. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ResumableChangeStream s = stream;
        if (s != null) {
            s.close();
        }
        historyExecutor.shutdownNow();
        if (ownsClient) {
            client.close();
        }
    }

    private String openDetail() {
        long g = gaps.get();
        return "change stream open on " + options.describeServer()
                + (g == 0 ? "" : "; " + g + " gap(s) in the change stream, last: " + lastGap);
    }

    private boolean standaloneServer() {
        return Clients.isStandalone(client);
    }

    private String noChangeStreamsMessage(MongoException e) {
        return "MongoDB at " + options.describeServer() + " cannot run change streams (" + e.getMessage()
                + "). The Mongo backplane needs a replica set; one node is enough: start mongod with "
                + "--replSet rs0, run rs.initiate() once (mongosh --eval 'rs.initiate()'), and connect with "
                + "?replicaSet=rs0";
    }

    /** Reacts to the change stream's state, on its thread. */
    private final class StreamHooks implements ResumableChangeStream.Hooks {
        @Override
        public void beforeOpen() {
            messages.prepare();
        }

        @Override
        public void opened(boolean resumed) {
            streamProblem = "";
            settled.countDown();
            link.connected(openDetail());
        }

        @Override
        public void failed(MongoException error) {
            streamProblem = "cannot reach " + options.describeServer() + ": " + error.getMessage();
            link.disconnected("change stream not open: " + streamProblem);
        }

        @Override
        public void gap(String reason) {
            gaps.incrementAndGet();
            lastGap = reason;
        }

        @Override
        public void fatal(MongoException error) {
            fatal = error;
            log.error("{}", noChangeStreamsMessage(error));
            link.disconnected(noChangeStreamsMessage(error));
            settled.countDown();
        }

        @Override
        public boolean tokenStillValid() {
            return messages.sameServerData();
        }
    }
}
