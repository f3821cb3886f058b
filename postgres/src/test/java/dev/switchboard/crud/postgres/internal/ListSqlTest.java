package dev.switchboard.crud.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.crud.Query;
import dev.switchboard.crud.SortField;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListSqlTest {
    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    @Test
    void fieldNamesAndValuesAreParametersNeverSql() {
        Query q = new Query(2, 10, List.of(new SortField("status", true), new SortField("id", false)),
                Map.<String, JsonNode>of("title", J.textNode("x' OR 1=1 --"), "rank", J.numberNode(3)));
        ListSql.Statement s = ListSql.page("\"public\".\"tasks\"", q);
        assertThat(s.sql()).doesNotContain("status").doesNotContain("title").doesNotContain("rank")
                .doesNotContain("OR 1=1");
        assertThat(s.params()).contains("status", "title", "rank", "x' OR 1=1 --");
        assertThat(s.sql().chars().filter(c -> c == '?').count()).isEqualTo(s.params().size());
        assertThat(s.params().subList(s.params().size() - 2, s.params().size())).containsExactly(10, 10L);
        ListSql.Statement c = ListSql.count("\"public\".\"tasks\"", q);
        assertThat(c.sql().chars().filter(ch -> ch == '?').count()).isEqualTo(c.params().size());
    }

    @Test
    void namesThatLookLikeSqlAreBadRequests() {
        for (String bad : List.of("status; DROP TABLE tasks", "title') OR 1=1 --", "a\"b", "x y", "", "doc->>'x'")) {
            Query sort = new Query(1, 10, List.of(new SortField(bad, false)), Map.of());
            assertThatThrownBy(() -> ListSql.page("t", sort)).isInstanceOf(SwitchboardException.class)
                    .satisfies(e -> assertThat(((SwitchboardException) e).code()).isEqualTo(ErrorCode.BAD_REQUEST));
            Query filter = new Query(1, 10, List.of(), Map.<String, JsonNode>of(bad, J.textNode("v")));
            assertThatThrownBy(() -> ListSql.count("t", filter)).isInstanceOf(SwitchboardException.class);
        }
    }
}
