package dev.switchboard.backplane.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.connection.ClusterDescription;
import com.mongodb.connection.ClusterType;
import dev.switchboard.BackplaneException;
import dev.switchboard.ErrorCode;
import dev.switchboard.PreparedMessage;
import dev.switchboard.backplane.mongo.internal.Backoff;
import dev.switchboard.backplane.mongo.internal.MessageCollection;
import dev.switchboard.backplane.mongo.internal.MessageDocuments;
import dev.switchboard.backplane.mongo.internal.MongoHistory;
import dev.switchboard.backplane.mongo.internal.Publisher;
import dev.switchboard.backplane.mongo.internal.ResumableChangeStream;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneHealth;
import dev.switchboard.spi.History;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
 * <p><b>Threading.</b> {@link #publish} never blocks: it queues the message for a publisher thread
 * (bounded queue; when full, or while inserts fail, the message is dropped and counted in
 * {@link BackplaneHealth#droppedMessages()}). A second thread reads the change stream and calls the
 * listener. History calls run on a small pool.
 *
 * <p><b>Delivery.</b> At most once, in publish order per publishing node. The change stream keeps its
 * resume token: after a network error, a failover or a server restart it resumes where it stopped, so
 * messages inserted meanwhile are still delivered. When the token can no longer be resumed from (it fell
 * off the oplog, or the server's data was replaced), the stream starts again from now and the gap is
 * counted ({@link #gaps()}) and shown in the health detail; durable topics recover from the history.
 *
 * <p><b>Size.</b> A message may have up to {@link #MAX_MESSAGE_BYTES} bytes (16 MiB less room for the
 * document and change-event envelopes); {@link #publish} throws {@link BackplaneException} for a larger
 * one and sends nothing.
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
    private final Publisher publisher;
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

    private MongoBackplane(MongoBackplaneOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.ownsClient = options.client() == null;
        this.client = ownsClient ? createClient(options) : options.client();
        this.database = client.getDatabase(options.database());
        this.messages = new MessageCollection(database, options);
        MongoCollection<Document> messageCollection = database.getCollection(options.messagesCollection());
        this.publisher = new Publisher(database, messageCollection, options.namespace(), options.publishQueue(),
                options.publishBatch(), new Backoff(options.resumeBackoffMin(), options.resumeBackoffMax()),
                messages::isPrepared);
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

    private static MongoClient createClient(MongoBackplaneOptions options) {
        ConnectionString cs = new ConnectionString(options.connectionString());
        MongoClientSettings.Builder settings = MongoClientSettings.builder().applyConnectionString(cs);
        if (cs.getServerSelectionTimeout() == null) {
            long ms = options.serverSelectionTimeout().toMillis();
            settings.applyToClusterSettings(b -> b.serverSelectionTimeout(ms, TimeUnit.MILLISECONDS));
        }
        if (cs.getApplicationName() == null) {
            settings.applicationName("switchboard");
        }
        return MongoClients.create(settings.build());
    }

    /**
     * Starts the publisher and the change stream, and waits up to {@link MongoBackplaneOptions#startTimeout()}
     * for the stream to open. If the server does not answer in that time the backplane keeps trying in
     * the background (health down until then).
     *
     * @throws BackplaneException when the server cannot run change streams (a standalone server); the
     *     message names the fix
     * @throws IllegalStateException when started twice
     */
    @Override
    public void start(String nodeId, Consumer<byte[]> listener) {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(listener, "listener");
        synchronized (this) {
            if (started || closed) {
                throw new IllegalStateException(closed ? "closed" : "already started");
            }
            started = true;
        }
        streamProblem = "connecting to " + options.describeServer();
        publisher.start(nodeId, nodeId);
        ResumableChangeStream s = new ResumableChangeStream(nodeId,
                database.getCollection(options.messagesCollection()),
                MessageDocuments.pipeline(options.namespace(), nodeId), FullDocument.DEFAULT,
                options.maxAwaitTime(), new Backoff(options.resumeBackoffMin(), options.resumeBackoffMax()),
                this::standaloneServer, event -> deliver(listener, event.getFullDocument()), new StreamHooks());
        stream = s;
        s.start();
        try {
            settled.await(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
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
        }
    }

    private void deliver(Consumer<byte[]> listener, Document fullDocument) {
        byte[] payload = MessageDocuments.payload(fullDocument);
        if (payload != null && !closed) {
            listener.accept(payload);
        }
    }

    /**
     * Queues a message for every other node. Never blocks.
     *
     * @throws BackplaneException when the message exceeds {@link #MAX_MESSAGE_BYTES}; nothing is sent
     */
    @Override
    public void publish(byte[] message) {
        publisher.offer(null, checkSize(message), false);
    }

    /**
     * Queues a message for one node. Never blocks.
     *
     * @throws BackplaneException when the message exceeds {@link #MAX_MESSAGE_BYTES}; nothing is sent
     */
    @Override
    public void publish(String nodeId, byte[] message) {
        publisher.offer(Objects.requireNonNull(nodeId, "nodeId"), checkSize(message), false);
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
        ResumableChangeStream s = stream;
        if (s == null) {
            throw new IllegalStateException("start the backplane first");
        }
        return s.name();
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

    /**
     * Up when the change stream is open, inserts work and the driver sees a writable server. Never blocks.
     */
    @Override
    public BackplaneHealth health() {
        BackplaneHealth h;
        MongoException f = fatal;
        ResumableChangeStream s = stream;
        String gapNote = gaps.get() == 0 ? "" : "; " + gaps.get() + " gap(s) in the change stream, last: " + lastGap;
        if (closed) {
            h = BackplaneHealth.down("mongodb", "closed");
        } else if (f != null) {
            h = BackplaneHealth.down("mongodb", noChangeStreamsMessage(f));
        } else if (s == null) {
            h = BackplaneHealth.down("mongodb", "not started");
        } else if (!s.isOpen()) {
            h = BackplaneHealth.down("mongodb", "change stream not open: " + streamProblem + gapNote);
        } else if (!publisher.insertsOk()) {
            h = BackplaneHealth.down("mongodb", publisher.lastError() + gapNote);
        } else if (!writableServer()) {
            h = BackplaneHealth.down("mongodb", "no writable MongoDB server" + gapNote);
        } else {
            h = new BackplaneHealth(true, "mongodb", "change stream open" + gapNote, 0);
        }
        return h.withDropped(publisher.dropped());
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

    /** Flushes queued messages (up to two seconds), stops both threads, closes an owned client. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        publisher.close(Duration.ofSeconds(2));
        ResumableChangeStream s = stream;
        if (s != null) {
            s.close();
        }
        historyExecutor.shutdownNow();
        if (ownsClient) {
            client.close();
        }
    }

    private boolean writableServer() {
        try {
            return client.getClusterDescription().hasWritableServer();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean standaloneServer() {
        ClusterDescription d = client.getClusterDescription();
        return d.getType() == ClusterType.STANDALONE;
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
        }

        @Override
        public void failed(MongoException error) {
            streamProblem = "cannot reach " + options.describeServer() + ": " + error.getMessage();
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
            settled.countDown();
        }

        @Override
        public boolean tokenStillValid() {
            return messages.sameServerData();
        }
    }
}
