package dev.switchboard.backplane.postgres;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The transactional publish against the server named by {@code SWITCHBOARD_TEST_POSTGRES_URL}. */
@EnabledIfEnvironmentVariable(named = TestPostgres.ENV, matches = ".+")
class ExternalTransactionalPublishIntegrationTest extends TransactionalPublishIntegrationTest {

    @Override
    TestPostgres server() {
        return TestPostgres.external();
    }
}
