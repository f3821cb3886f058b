package dev.switchboard.crud.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.switchboard.crud.Quota;
import dev.switchboard.crud.Repository;
import dev.switchboard.testkit.RepositoryCompatibilityKit;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link MongoRepository} passes the repository contract, a collection per repository, against mongo-java-server
 * (or the replica set named by {@code SWITCHBOARD_TEST_MONGO_URI}).
 */
class MongoRepositoryCompatibilityTest extends RepositoryCompatibilityKit {
    private static MongoTarget target;
    private static MongoClient client;

    @BeforeAll
    static void startServer() {
        target = MongoTarget.start();
        client = MongoClients.create(target.uri());
    }

    @AfterAll
    static void stopServer() {
        client.close();
        target.close();
    }

    @Override
    protected Repository createRepository(Quota quota) {
        return MongoRepository.create(client.getDatabase("repo_kit")
                .getCollection("kit_" + UUID.randomUUID().toString().substring(0, 8)), Set.of(), quota);
    }

    @Override
    protected void dispose(Repository repository) {
        ((MongoRepository) repository).collection().drop();
    }
}
