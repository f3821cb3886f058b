package dev.switchboard.backplane.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.backplane.postgres.PostgresBackplane;
import dev.switchboard.backplane.postgres.PostgresBackplaneOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BackplaneSchemaTest {

    @Test
    void theShippedSchemaFileIsTheGeneratedDdlForTheDefaultNames() throws IOException {
        try (InputStream in = PostgresBackplane.class.getResourceAsStream("schema.sql")) {
            assertThat(in).as("dev/switchboard/backplane/postgres/schema.sql on the class path").isNotNull();
            String shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(shipped).isEqualTo(PostgresBackplane.schemaSql(PostgresBackplaneOptions.of("postgres://h/db")));
        }
    }

    @Test
    void namesFollowTheSchemaAndPrefix() {
        BackplaneSchema s = new BackplaneSchema("ops", "sb");
        assertThat(s.attachments()).isEqualTo("\"ops\".\"sb_attachments\"");
        assertThat(s.topics()).isEqualTo("\"ops\".\"sb_topics\"");
        assertThat(s.history()).isEqualTo("\"ops\".\"sb_history\"");
        assertThat(s.statements().get(0)).isEqualTo("CREATE SCHEMA IF NOT EXISTS \"ops\"");
        assertThat(s.statements()).allSatisfy(st -> assertThat(st).contains("IF NOT EXISTS"));
    }
}
