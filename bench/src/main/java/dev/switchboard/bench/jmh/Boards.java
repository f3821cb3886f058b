package dev.switchboard.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import java.time.Duration;

/** Shared set-up of the JMH benchmarks. */
final class Boards {
    private Boards() {
    }

    /** @return a node whose heartbeat never fires during a benchmark and with no rate limit */
    static Switchboard quietNode() {
        return Switchboard.builder()
                .options(SwitchboardOptions.builder().heartbeat(Duration.ofHours(1)).rateLimit(0).build())
                .build();
    }

    /** @return the bench's usual payload: {@code {"seq","ts","pad"}} with 64 bytes of padding */
    static ObjectNode payload() {
        ObjectNode p = new ObjectMapper().createObjectNode();
        p.put("seq", 123_456);
        p.put("ts", 987_654_321_012L);
        p.put("pad", "x".repeat(64));
        return p;
    }
}
