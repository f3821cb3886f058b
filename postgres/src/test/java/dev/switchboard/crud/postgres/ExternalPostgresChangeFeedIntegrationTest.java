package dev.switchboard.crud.postgres;

import dev.switchboard.backplane.postgres.TestPostgres;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The change feed tests against the server named by {@code SWITCHBOARD_TEST_POSTGRES_URL}. */
@EnabledIfEnvironmentVariable(named = TestPostgres.ENV, matches = ".+")
class ExternalPostgresChangeFeedIntegrationTest extends PostgresChangeFeedIntegrationTest {

    @Override
    TestPostgres server() {
        return TestPostgres.external();
    }
}
