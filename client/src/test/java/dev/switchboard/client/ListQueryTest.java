package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListQueryTest {

    @Test
    void theDefaultsLeaveEverythingToTheServer() {
        ListQuery q = ListQuery.defaults();
        assertThat(q.page()).isNull();
        assertThat(q.size()).isNull();
        assertThat(q.sort()).isEmpty();
        assertThat(q.filters()).isEmpty();
        assertThat(q.sortSpec()).isEmpty();
    }

    @Test
    void aSortSpecIsSplitAtCommasAndJoinedBack() {
        ListQuery q = ListQuery.builder().sort(" -status, title ,").build();
        assertThat(q.sort()).containsExactly("-status", "title");
        assertThat(q.sortSpec()).isEqualTo("-status,title");
        assertThat(ListQuery.builder().sort(List.of("+a", "-b")).build().sortSpec()).isEqualTo("+a,-b");
        assertThat(ListQuery.builder().sort("x").sort("").build().sort()).isEmpty();
    }

    @Test
    void filtersKeepTheirOrderAndAreImmutable() {
        ListQuery q = ListQuery.builder().filter("status", "todo").filter("points", 3).filter("status", "done").build();
        assertThat(q.filters()).containsExactly(Map.entry("status", "done"), Map.entry("points", 3));
        assertThatThrownBy(() -> q.filters().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(ListQuery.builder().filter("a", 1).filters(Map.of("b", 2)).build().filters())
                .containsExactly(Map.entry("b", 2));
    }

    @Test
    void toBuilderDerivesAChangedCopy() {
        ListQuery first = ListQuery.builder().size(10).sort("title").filter("status", "todo").build();
        ListQuery second = first.toBuilder().page(2).build();
        assertThat(second).isEqualTo(new ListQuery(2, 10, List.of("title"), Map.of("status", "todo")));
        assertThat(first.page()).isNull();
    }

    @Test
    void outOfRangeValuesAreRefusedAtConstruction() {
        assertThatThrownBy(() -> ListQuery.builder().page(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("page");
        assertThatThrownBy(() -> ListQuery.builder().size(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size");
        assertThatThrownBy(() -> ListQuery.builder().sort(List.of("-")).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ListQuery.builder().sort(List.of("a,b")).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ListQuery.builder().filter("status", null)).isInstanceOf(NullPointerException.class);
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("status", null);
        assertThatThrownBy(() -> ListQuery.builder().filters(withNull).build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("status");
    }
}
