package dev.switchboard.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void quotesIdentifiersAndDoublesInnerQuotes() {
        assertThat(Identifiers.quote("tasks")).isEqualTo("\"tasks\"");
        assertThat(Identifiers.quote("a\"; DROP TABLE x; --")).isEqualTo("\"a\"\"; DROP TABLE x; --\"");
        assertThat(Identifiers.qualified("public", "My Tasks")).isEqualTo("\"public\".\"My Tasks\"");
        assertThatThrownBy(() -> Identifiers.quote("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Identifiers.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Identifiers.quote("x".repeat(64))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void channelNamesArePlainShortAndDistinct() {
        assertThat(Identifiers.channel("switchboard", "node_n1")).isEqualTo("switchboard_node_n1");
        String dotted = Identifiers.channel("switchboard", "node_n.1");
        String underscored = Identifiers.channel("switchboard", "node_n_1");
        assertThat(dotted).matches("[A-Za-z0-9_]+").isNotEqualTo(underscored);
        String longName = Identifiers.channel("switchboard", "node_" + "x".repeat(100));
        assertThat(longName.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(longName).isNotEqualTo(Identifiers.channel("switchboard", "node_" + "x".repeat(101)));
        assertThat(Identifiers.channel("sb", "node_\u00e9\"';")).matches("[A-Za-z0-9_]+");
    }

    @Test
    void derivedNamesStayWithinTheLimit() {
        assertThat(Identifiers.derived("tasks", "_id_seq")).isEqualTo("tasks_id_seq");
        String d = Identifiers.derived("t".repeat(60), "_id_seq");
        assertThat(d.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(d).endsWith("_id_seq");
    }
}
