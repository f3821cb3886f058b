package dev.switchboard.backplane.mongo;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;

/**
 * An in-process MongoDB wire-protocol server (mongo-java-server, memory backend) with its oplog on, so
 * that change streams work, on a free port of 127.0.0.1. It can crash and come back on the same port:
 * over the same data and oplog ({@link #restart()}), as a server restart would, or empty
 * ({@link #restartEmpty()}), as a replaced or wiped server would.
 */
public final class MongoTestServer implements AutoCloseable {
    private final boolean oplog;
    private KeptBackend backend;
    private MongoServer server;
    private int port;

    private MongoTestServer(boolean oplog) {
        this.oplog = oplog;
        this.backend = newBackend();
        bind(0);
    }

    /** @return a started server with change streams */
    public static MongoTestServer start() {
        return new MongoTestServer(true);
    }

    /** @return a started server without an oplog: like a standalone mongod, it cannot run change streams */
    public static MongoTestServer startWithoutChangeStreams() {
        return new MongoTestServer(false);
    }

    /** @return {@code mongodb://127.0.0.1:<port>} */
    public String uri() {
        return "mongodb://127.0.0.1:" + port;
    }

    /** @return the bound port */
    public int port() {
        return port;
    }

    /** Crashes the server: closes the listener and every client connection; the data stays. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            server = null;
        }
    }

    /** Starts again on the same port over the same data and oplog. */
    public synchronized void restart() {
        stop();
        bind(port);
    }

    /** Starts again on the same port with no data and a new oplog. */
    public synchronized void restartEmpty() {
        stop();
        backend.destroy();
        backend = newBackend();
        bind(port);
    }

    /**
     * Opens a second listener over the same data on another free port, while the main port may be
     * down: a way in that the clients of {@link #uri()} do not know about.
     *
     * @return the second server; shut it down when done
     */
    public synchronized MongoServer sideDoor() {
        MongoServer s = new MongoServer(backend);
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        return s;
    }

    private KeptBackend newBackend() {
        KeptBackend b = new KeptBackend();
        b.version(ServerVersion.MONGO_5_0);
        if (oplog) {
            b.enableOplog();
        }
        return b;
    }

    private void bind(int wanted) {
        MongoServer s = new MongoServer(backend);
        s.bind(new InetSocketAddress("127.0.0.1", wanted));
        port = s.getLocalAddress().getPort();
        server = s;
    }

    @Override
    public synchronized void close() {
        stop();
        backend.destroy();
    }

    /** A memory backend that survives the server's shutdown, so a new server can serve the same data. */
    private static final class KeptBackend extends MemoryBackend {
        @Override
        public void close() {
            // The server closes its backend on shutdown; keep the data for the next server.
        }

        void destroy() {
            super.close();
        }
    }
}
