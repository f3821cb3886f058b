package dev.switchboard.crud.mongo;

import dev.switchboard.backplane.mongo.MongoTestServer;

/**
 * Where a test's MongoDB is: the replica set named by {@code SWITCHBOARD_TEST_MONGO_URI} when set, else a
 * mongo-java-server with its oplog started on a free port.
 */
final class MongoTarget implements AutoCloseable {
    private final MongoTestServer embedded;
    private final String uri;

    private MongoTarget(MongoTestServer embedded, String uri) {
        this.embedded = embedded;
        this.uri = uri;
    }

    static MongoTarget start() {
        String external = System.getenv("SWITCHBOARD_TEST_MONGO_URI");
        if (external != null && !external.isBlank()) {
            return new MongoTarget(null, external.trim());
        }
        MongoTestServer s = MongoTestServer.start();
        return new MongoTarget(s, s.uri());
    }

    String uri() {
        return uri;
    }

    /** @return the embedded server, or null when testing against an external one */
    MongoTestServer embedded() {
        return embedded;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
