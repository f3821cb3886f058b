package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PathTemplateTest {

    @Test
    void plainPathMatchesExactly() {
        PathTemplate t = PathTemplate.of("/ws");

        assertThat(t.isTemplate()).isFalse();
        assertThat(t.matches("/ws")).isTrue();
        assertThat(t.matches("/ws/")).isFalse();
        assertThat(t.matches("/wsx")).isFalse();
        assertThat(t.matches("/")).isFalse();
    }

    @Test
    void variablesTakeWholeSegments() {
        PathTemplate t = PathTemplate.of("/chat/{room}/u/{user}");

        assertThat(t.isTemplate()).isTrue();
        assertThat(t.matches("/chat/lobby/u/alice")).isTrue();
        assertThat(t.matches("/chat/a b/u/é")).isTrue();
        assertThat(t.matches("/chat//u/alice")).isFalse();
        assertThat(t.matches("/chat/a/b/u/alice")).isFalse();
        assertThat(t.matches("/chat/lobby/u")).isFalse();
    }

    @Test
    void variablesAreReadBackByName() {
        PathTemplate t = PathTemplate.of("/chat/{room}/u/{user}");

        assertThat(t.variableNames()).containsExactly("room", "user");
        assertThat(t.variables("/chat/lobby/u/Zoë Ann")).containsExactly(
                java.util.Map.entry("room", "lobby"), java.util.Map.entry("user", "Zoë Ann"));
        assertThat(t.variables("/chat/lobby")).isNull();
        assertThat(PathTemplate.of("/ws").variables("/ws")).isEmpty();
        assertThatThrownBy(() -> PathTemplate.of("/{a}/{a}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{a}");
    }

    @Test
    void literalSegmentsAreNotRegex() {
        assertThat(PathTemplate.of("/a.b").matches("/axb")).isFalse();
        assertThat(PathTemplate.of("/a.b").matches("/a.b")).isTrue();
        assertThat(PathTemplate.of("/").matches("/")).isTrue();
        assertThatThrownBy(() -> PathTemplate.of("ws")).isInstanceOf(IllegalArgumentException.class);
    }
}
