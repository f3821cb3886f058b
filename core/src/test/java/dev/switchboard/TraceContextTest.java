package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** W3C traceparent parsing: strict construction, lenient reading (malformed values are ignored). */
class TraceContextTest {
    private static final String TP = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void readsTheFieldsOfAValidTraceparent() {
        TraceContext t = TraceContext.parse(TP, "congo=t61rcWkgMzE").orElseThrow();
        assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(t.spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(t.sampled()).isTrue();
        assertThat(t.tracestate()).isEqualTo("congo=t61rcWkgMzE");
        assertThat(TraceContext.of(t.traceId(), "b7ad6b7169203331", false, null).traceparent())
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-00");
    }

    @Test
    void malformedValuesAreIgnoredWhenReadAndRefusedWhenBuilt() {
        for (String bad : new String[] {"", "garbage", TP.toUpperCase(), "ff" + TP.substring(2),
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", TP + "-extra"}) {
            assertThat(TraceContext.parse(bad, null)).as(bad).isEmpty();
        }
        assertThat(TraceContext.parse(null, "a=b")).isEmpty();
        // A future version may append fields; a bad tracestate is dropped, the traceparent kept.
        assertThat(TraceContext.parse("01" + TP.substring(2) + "-later", null)).isPresent();
        assertThat(TraceContext.parse(TP, "x".repeat(513)).orElseThrow().tracestate()).isNull();
        assertThatThrownBy(() -> new TraceContext("nope", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runWithMakesAContextCurrentAndRestoresThePreviousOne() {
        TraceContext outer = TraceContext.parse(TP, null).orElseThrow();
        TraceContext inner = TraceContext.of("4bf92f3577b34da6a3ce929d0e0e4736", "b7ad6b7169203331", true, null);
        AtomicReference<TraceContext> seen = new AtomicReference<>();
        TraceContext.runWith(outer, () -> {
            TraceContext.runWith(inner, () -> seen.set(TraceContext.current().orElseThrow()));
            assertThat(TraceContext.current()).contains(outer);
        });
        assertThat(seen.get()).isEqualTo(inner);
        assertThat(TraceContext.current()).isEmpty();
    }
}
