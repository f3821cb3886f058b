package dev.switchboard.backplane.postgres;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The backplane contract against the server named by {@code SWITCHBOARD_TEST_POSTGRES_URL} (no outage tests). */
@EnabledIfEnvironmentVariable(named = TestPostgres.ENV, matches = ".+")
class ExternalPostgresBackplaneCompatibilityTest extends PostgresBackplaneCompatibilityTest {

    @Override
    TestPostgres server() {
        return TestPostgres.external();
    }
}
