package dev.switchboard.backplane.postgres;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The attachment, queue and schema tests against the server named by {@code SWITCHBOARD_TEST_POSTGRES_URL}. */
@EnabledIfEnvironmentVariable(named = TestPostgres.ENV, matches = ".+")
class ExternalPostgresBackplaneIntegrationTest extends PostgresBackplaneIntegrationTest {

    @Override
    TestPostgres server() {
        return TestPostgres.external();
    }
}
