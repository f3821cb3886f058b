package dev.switchboard.crud.postgres;

import dev.switchboard.backplane.postgres.TestPostgres;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The repository contract against the server named by {@code SWITCHBOARD_TEST_POSTGRES_URL}. */
@EnabledIfEnvironmentVariable(named = TestPostgres.ENV, matches = ".+")
class ExternalPostgresRepositoryCompatibilityTest extends PostgresRepositoryCompatibilityTest {

    @Override
    TestPostgres server() {
        return TestPostgres.external();
    }
}
