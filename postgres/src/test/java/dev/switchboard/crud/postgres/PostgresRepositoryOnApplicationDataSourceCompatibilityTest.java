package dev.switchboard.crud.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.backplane.postgres.TestPostgres;
import dev.switchboard.crud.Quota;
import dev.switchboard.crud.Repository;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The repository contract for {@link PostgresRepository} on a {@code DataSource} the application owns (a
 * HikariCP pool over pgjdbc's own {@code DataSource}, as a container or Spring Boot hands one out), with no
 * URL: every repository of the run shares it, and none closes it.
 */
class PostgresRepositoryOnApplicationDataSourceCompatibilityTest extends PostgresRepositoryCompatibilityTest {
    private static HikariDataSource app;

    @BeforeAll
    static void theApplicationsPool() {
        TestPostgres s = TestPostgres.embedded();
        PGSimpleDataSource driver = new PGSimpleDataSource();
        driver.setURL(s.jdbcUrl());
        driver.setUser(s.user());
        driver.setPassword(s.password());
        app = new HikariDataSource();
        app.setPoolName("the-application");
        app.setDataSource(driver);
        app.setMaximumPoolSize(4);
    }

    @AfterAll
    static void closeThePool() {
        app.close();
    }

    @Override
    protected Repository createRepository(Quota quota) {
        String table = "kit_" + UUID.randomUUID().toString().substring(0, 8);
        return PostgresRepository.create(PostgresTableOptions.builder(table).dataSource(app).quota(quota).build());
    }

    @Override
    protected void dispose(Repository repository) {
        super.dispose(repository);
        assertThat(app.isClosed()).as("closing a repository leaves the application's pool open").isFalse();
    }
}
