package dev.switchboard.backplane.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** {@link PostgresBackplaneOptions} from a URI's query and from the builder; nothing connects. */
class PostgresBackplaneOptionsTest {

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
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL("jdbc:postgresql://h/db");
        assertThatThrownBy(() -> PostgresBackplaneOptions.builder().dataSource(ds).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listenUrl");
        assertThat(PostgresBackplaneOptions.builder().dataSource(ds).listenUrl("postgres://u@h:5/db").build()
                .listenUrl()).startsWith("jdbc:postgresql://h:5/db");
    }
}
