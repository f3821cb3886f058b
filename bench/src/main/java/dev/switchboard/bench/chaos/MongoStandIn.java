package dev.switchboard.bench.chaos;

import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The soak's MongoDB stand-in process: mongo-java-server (memory backend, oplog on, so change streams
 * work) on 127.0.0.1 and the port given, controlled on standard input: {@code stop} drops the listener and
 * every connection at once and keeps the data, {@code start} listens again over the same data. Exits
 * when its standard input closes (the soak ended).
 */
public final class MongoStandIn {

    private MongoStandIn() {
    }

    /**
     * @param args the port
     * @throws IOException when standard input fails
     */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        KeptBackend backend = new KeptBackend();
        backend.version(ServerVersion.MONGO_5_0);
        backend.enableOplog();
        de.bwaldvogel.mongo.MongoServer server = bind(backend, port);
        System.out.println("mongo stand-in ready on 127.0.0.1:" + port);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("stop") && server != null) {
                server.shutdownNow();
                server = null;
                System.out.println("stopped");
            } else if (line.equals("start") && server == null) {
                server = bind(backend, port);
                System.out.println("started");
            }
        }
        System.exit(0);
    }

    private static de.bwaldvogel.mongo.MongoServer bind(MemoryBackend backend, int port) {
        de.bwaldvogel.mongo.MongoServer s = new de.bwaldvogel.mongo.MongoServer(backend);
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return s;
    }

    /** A memory backend that survives its server's shutdown, so the next server serves the same data. */
    private static final class KeptBackend extends MemoryBackend {
        @Override
        public void close() {
            // the server closes its backend on shutdown; the data must outlive it
        }
    }
}
