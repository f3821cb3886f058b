package dev.switchboard.backplane.mongo;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a mongo-java-server (memory backend, oplog on, so change streams work) in its own process, for
 * trying the examples and the bench without a MongoDB installation. Not a MongoDB: see
 * docs/mongodb.md for what it lacks. Usage, from the test classpath:
 * {@code java -cp … dev.switchboard.backplane.mongo.MongoTestServerMain [port, default 27017]}.
 */
public final class MongoTestServerMain {

    private MongoTestServerMain() {
    }

    /** @param args the port @throws InterruptedException never, it runs until killed */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 27017;
        MemoryBackend backend = new MemoryBackend();
        backend.version(ServerVersion.MONGO_5_0);
        backend.enableOplog();
        MongoServer server = new MongoServer(backend);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        System.out.println("mongo-java-server with change streams on mongodb://127.0.0.1:" + port);
        new CountDownLatch(1).await();
    }
}
