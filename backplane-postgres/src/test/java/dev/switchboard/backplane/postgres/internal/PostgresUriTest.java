package dev.switchboard.backplane.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.backplane.postgres.PostgresBackplaneOptions;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PostgresUriTest {

    @Test
    void convertsPostgresUrisToJdbcWithCredentialsKeptApart() {
        PostgresUri.Parsed p = PostgresUri.parse("postgres://app:s%40cret@db.example:6543/shop?sslmode=require",
                Set.of());
        assertThat(p.endpoint().url())
                .isEqualTo("jdbc:postgresql://db.example:6543/shop?sslmode=require&connectTimeout=10"
                        + "&ApplicationName=switchboard");
        assertThat(p.endpoint().user()).isEqualTo("app");
        assertThat(p.endpoint().password()).isEqualTo("s@cret");
        assertThat(p.endpoint().describe()).doesNotContain("cret");
    }

    @Test
    void acceptsPostgresqlSchemeIpv6MultipleHostsAndMissingParts() {
        assertThat(PostgresUri.parse("postgresql://[::1]:5432/db", Set.of()).endpoint().url())
                .startsWith("jdbc:postgresql://[::1]:5432/db?");
        assertThat(PostgresUri.parse("postgresql://h1:5432,h2:5433/db?targetServerType=primary", Set.of())
                .endpoint().url()).startsWith("jdbc:postgresql://h1:5432,h2:5433/db?targetServerType=primary");
        PostgresUri.Parsed bare = PostgresUri.parse("postgres://", Set.of());
        assertThat(bare.endpoint().url()).startsWith("jdbc:postgresql://localhost/?");
        assertThat(bare.endpoint().user()).isNull();
        assertThat(PostgresUri.parse("postgres://bob@h/db", Set.of()).endpoint().password()).isNull();
    }

    @Test
    void keepsJdbcUrlsAndLiftsTheirCredentials() {
        PostgresUri.Parsed p = PostgresUri.parse(
                "jdbc:postgresql://h:1/db?user=u&password=p%26w&connectTimeout=3&channelPrefix=x", Set.of("channelPrefix"));
        assertThat(p.endpoint().url()).isEqualTo("jdbc:postgresql://h:1/db?connectTimeout=3&ApplicationName=switchboard");
        assertThat(p.endpoint().user()).isEqualTo("u");
        assertThat(p.endpoint().password()).isEqualTo("p&w");
        assertThat(p.options()).containsEntry("channelPrefix", "x");
    }

    @Test
    void refusesOtherSchemesAndBadHostsWithoutShowingThePassword() {
        assertThatThrownBy(() -> PostgresUri.parse("mysql://u:topsecret@h/db", Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> PostgresUri.parse("postgres://u:topsecret@h;drop/db", Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("topsecret");
        assertThat(PostgresUri.redact("postgres://u:topsecret@h/db")).isEqualTo("postgres://u:****@h/db");
        assertThat(PostgresUri.redact("jdbc:postgresql://h/db?user=u&password=topsecret&x=1"))
                .isEqualTo("jdbc:postgresql://h/db?user=u&password=****&x=1");
    }

    @Test
    void optionsComeFromTheUriQuery() {
        PostgresBackplaneOptions o = PostgresBackplaneOptions.of("postgres://u:pw@h/db?channelPrefix=shop"
                + "&attachmentThreshold=4000&attachmentMaxAge=10m&reconnectMax=2s&createSchema=false&sslmode=disable");
        assertThat(o.channelPrefix()).isEqualTo("shop");
        assertThat(o.attachmentThreshold()).isEqualTo(4000);
        assertThat(o.attachmentMaxAge()).isEqualTo(Duration.ofMinutes(10));
        assertThat(o.reconnectMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.createSchema()).isFalse();
        assertThat(o.url()).contains("sslmode=disable").doesNotContain("channelPrefix");
        assertThat(o.toString()).doesNotContain("pw");
        assertThatThrownBy(() -> PostgresBackplaneOptions.of("postgres://h/db?namespace=a-b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace");
        // The shared options under their shared names; the older names above still work.
        PostgresBackplaneOptions shared = PostgresBackplaneOptions.of("postgres://h/db?namespace=shop2"
                + "&publishQueueMessages=7&livenessInterval=250ms");
        assertThat(shared.backplane().namespace()).isEqualTo("shop2");
        assertThat(shared.backplane().publishQueueMessages()).isEqualTo(7);
        assertThat(shared.backplane().livenessInterval()).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> PostgresBackplaneOptions.of("postgres://h/db?livenessInterval=soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("livenessInterval");
        assertThatThrownBy(() -> PostgresBackplaneOptions.of("postgres://h/db?attachmentThreshold=9000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attachmentThreshold");
        assertThatThrownBy(() -> PostgresBackplaneOptions.of("postgres://h/db?attachmentMaxAge=soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attachmentMaxAge");
    }

    @Test
    void aDataSourceNeedsAListenUrl() {
        javax.sql.DataSource ds = new ConnectionPool(new JdbcEndpoint("jdbc:postgresql://h/db", null, null), 1,
                Duration.ofSeconds(1));
        assertThatThrownBy(() -> PostgresBackplaneOptions.builder().dataSource(ds).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listenUrl");
        assertThat(PostgresBackplaneOptions.builder().dataSource(ds).listenUrl("postgres://u@h:5/db").build()
                .listenUrl()).startsWith("jdbc:postgresql://h:5/db");
    }
}
