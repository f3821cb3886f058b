package dev.switchboard.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
