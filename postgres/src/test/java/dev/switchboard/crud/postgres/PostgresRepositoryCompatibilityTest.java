package dev.switchboard.crud.postgres;

import dev.switchboard.backplane.postgres.TestPostgres;
import dev.switchboard.crud.Quota;
import dev.switchboard.crud.Repository;
import dev.switchboard.testkit.RepositoryCompatibilityKit;
import java.util.UUID;

/** {@link PostgresRepository} against the embedded server passes the repository contract, a table per repository. */
class PostgresRepositoryCompatibilityTest extends RepositoryCompatibilityKit {

    TestPostgres server() {
        return TestPostgres.embedded();
    }

    @Override
    protected Repository createRepository(Quota quota) {
        TestPostgres s = server();
        String table = "kit_" + UUID.randomUUID().toString().substring(0, 8);
        return PostgresRepository.create(PostgresTableOptions.builder(table).url(s.jdbcUrl()).user(s.user())
                .password(s.password()).quota(quota).build());
    }

    @Override
    protected void dispose(Repository repository) {
        PostgresRepository repo = (PostgresRepository) repository;
        repo.close();
        server().dropTables(repo.options().table());
    }
}
