package dev.switchboard.mongodb.internal;

import com.mongodb.MongoException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import dev.switchboard.spi.ReconnectBackoff;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A change stream on one collection, read by its own daemon thread, that keeps its resume token and
 * reopens itself after network errors, failovers and server restarts (with backoff), resuming after the
 * last event it handed out. When the token can no longer be resumed from (it fell off the oplog, the
 * server rejects it, or {@link Hooks#tokenStillValid()} says the server's data was replaced) it starts
 * again from now and reports a gap. A server that cannot run change streams at all (a standalone
 * {@code mongod}) is reported once through {@link Hooks#fatal} and the thread ends.
 *
 * <p>Events are handed to the handler on the stream's thread, in oplog order.
 */
public final class ResumableChangeStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResumableChangeStream.class);
    /** Pause after an empty batch that came back at once: some servers do not await data on getMore. */
    private static final long IDLE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How many getMore waits pass between checks that the server's data is still the same. */
    private static final long TOKEN_CHECK_AWAITS = 5;

    /** What the stream reports besides events. Called on the stream's thread; must not block long. */
    public interface Hooks {
        /** Called before every attempt to open the stream; a {@link MongoException} counts as a failed attempt. */
        default void beforeOpen() {
        }

        /** @param resumed true when it resumed after its token, false when it started from now */
        default void opened(boolean resumed) {
        }

        /** @param error why the stream is not open; it will retry */
        default void failed(MongoException error) {
        }

        /** @param reason why events may have been missed: the stream started again from now */
        default void gap(String reason) {
        }

        /** @param error the server cannot run change streams; the stream has stopped for good */
        default void fatal(MongoException error) {
        }

        /**
         * Asked before resuming after a failure. May block briefly on the server.
         *
         * @return false when the server's data was replaced since the token was taken (a new server, a
         *     restored backup), so the token must not be trusted
         */
        default boolean tokenStillValid() {
            return true;
        }
    }

    private final String name;
    private final MongoCollection<Document> collection;
    private final List<Bson> pipeline;
    private final FullDocument fullDocument;
    private final Duration maxAwaitTime;
    private final ReconnectBackoff backoff;
    private final java.util.function.Consumer<ChangeStreamDocument<Document>> handler;
    private final Hooks hooks;
    private final BooleanSupplier standaloneServer;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean open;
    private volatile BsonDocument token;

    /**
     * @param name a short name for the thread and logs
     * @param collection the watched collection
     * @param pipeline stages after {@code $changeStream}, e.g. a {@code $match}
     * @param fullDocument what insert/update events carry
     * @param maxAwaitTime how long one getMore waits
     * @param backoff pauses between attempts
     * @param standaloneServer whether the driver currently sees a standalone server
     * @param handler receives every event, on the stream's thread
     * @param hooks receives state changes
     */
    public ResumableChangeStream(String name, MongoCollection<Document> collection, List<Bson> pipeline,
                                 FullDocument fullDocument, Duration maxAwaitTime, ReconnectBackoff backoff,
                                 BooleanSupplier standaloneServer,
                                 java.util.function.Consumer<ChangeStreamDocument<Document>> handler, Hooks hooks) {
        this.name = Objects.requireNonNull(name, "name");
        this.collection = Objects.requireNonNull(collection, "collection");
        this.pipeline = List.copyOf(pipeline);
        this.fullDocument = Objects.requireNonNull(fullDocument, "fullDocument");
        this.maxAwaitTime = Objects.requireNonNull(maxAwaitTime, "maxAwaitTime");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.standaloneServer = Objects.requireNonNull(standaloneServer, "standaloneServer");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.thread = new Thread(this::run, "switchboard-mongo-stream-" + name);
        this.thread.setDaemon(true);
    }

    /** Starts the stream's thread. */
    public void start() {
        thread.start();
    }

    /** @return the stream's name */
    public String name() {
        return name;
    }

    /** @return true while the change stream is open on the server */
    public boolean isOpen() {
        return open;
    }

    /** @return the last resume token, or null before the first */
    public BsonDocument resumeToken() {
        return token;
    }

    private void run() {
        boolean wasOpen = false;
        boolean mustCheck = false;
        while (!closed) {
            try {
                if (mustCheck) {
                    checkToken();
                    mustCheck = false;
                }
                hooks.beforeOpen();
                boolean resumed = token != null;
                ChangeStreamIterable<Document> it = collection.watch(pipeline)
                        .fullDocument(fullDocument)
                        .maxAwaitTime(maxAwaitTime.toMillis(), TimeUnit.MILLISECONDS);
                if (resumed) {
                    it = it.startAfter(token);
                }
                try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor = it.cursor()) {
                    if (cursor.getServerCursor() == null) {
                        throw new MongoException("the server closed the change stream at once: it cannot run "
                                + "change streams");
                    }
                    open = true;
                    wasOpen = true;
                    backoff.reset();
                    hooks.opened(resumed);
                    log.debug("Change stream {} open ({})", name, resumed ? "resumed" : "from now");
                    read(cursor);
                }
            } catch (MongoException e) {
                mustCheck |= open;
                open = false;
                if (closed || e instanceof MongoInterruptedException) {
                    break;
                }
                if (ChangeStreamErrors.isResumeTokenLost(e) && token != null) {
                    token = null;
                    mustCheck = false;
                    report("the resume token is no longer valid (" + e.getMessage() + ")");
                    continue;
                }
                if (!wasOpen && ChangeStreamErrors.isNoChangeStreams(e, standaloneServer.getAsBoolean())) {
                    hooks.fatal(e);
                    return;
                }
                hooks.failed(e);
                log.debug("Change stream {} failed, will retry: {}", name, e.toString());
                if (!backoff.pause()) {
                    break;
                }
            } catch (RuntimeException e) {
                mustCheck |= open;
                open = false;
                if (closed) {
                    break;
                }
                hooks.failed(new MongoException("change stream failed: " + e, e));
                log.warn("Change stream {} failed unexpectedly, will retry", name, e);
                if (!backoff.pause()) {
                    break;
                }
            }
        }
        open = false;
    }

    private void checkToken() {
        if (token == null) {
            report("the stream broke before it had a resume token");
        } else if (!hooks.tokenStillValid()) {
            token = null;
            report("the server's data was replaced since the stream's resume token was taken");
        }
    }

    private void report(String reason) {
        log.warn("Change stream {} restarts from now, events may have been missed: {}", name, reason);
        hooks.gap(reason);
    }

    private void read(MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor) {
        long awaitNanos = maxAwaitTime.toNanos();
        long checkEvery = awaitNanos * TOKEN_CHECK_AWAITS;
        long nextCheck = System.nanoTime() + checkEvery;
        while (!closed) {
            if (System.nanoTime() - nextCheck > 0) {
                // The driver resumes once by itself after a network error, without asking us: check now
                // and then that it did not resume on a server whose data was replaced.
                nextCheck = System.nanoTime() + checkEvery;
                if (!hooks.tokenStillValid()) {
                    report("the server's data was replaced while the stream resumed by itself");
                }
            }
            long t0 = System.nanoTime();
            ChangeStreamDocument<Document> event = cursor.tryNext();
            if (event != null) {
                try {
                    handler.accept(event);
                } catch (RuntimeException e) {
                    log.warn("Change stream {}: the handler failed on an event", name, e);
                }
            }
            BsonDocument t = cursor.getResumeToken();
            if (t != null) {
                token = t;
            }
            if (event == null) {
                if (cursor.getServerCursor() == null) {
                    // Invalidated (collection dropped or renamed): reopen after the token.
                    throw new MongoException("the change stream was closed by the server");
                }
                if (System.nanoTime() - t0 < awaitNanos / 2) {
                    LockSupport.parkNanos(IDLE_PAUSE_NANOS);
                }
            }
        }
    }

    /** Stops the thread (waiting up to two seconds for it). Idempotent. */
    @Override
    public void close() {
        closed = true;
        open = false;
        if (thread.isAlive() && thread != Thread.currentThread()) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
