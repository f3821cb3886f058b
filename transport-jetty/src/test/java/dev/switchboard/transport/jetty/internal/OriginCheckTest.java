package dev.switchboard.transport.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginCheckTest {
    private final OriginCheck check = OriginCheck.of(List.of("https://app.example.com", "https://*.example.org",
            "http://localhost:*"));

    @Test
    void exactOriginsAndPatterns() {
        assertThat(check.allows("https://app.example.com")).isTrue();
        assertThat(check.allows("HTTPS://APP.example.com")).isTrue();
        assertThat(check.allows("https://a.b.example.org")).isTrue();
        assertThat(check.allows("http://localhost:8080")).isTrue();
        assertThat(check.allows(null)).as("not a browser").isTrue();
    }

    @Test
    void everythingElseIsRefused() {
        for (String o : List.of("https://evil.example", "https://app.example.com.evil.example", "null",
                "https://example.org", "https://x.example.org.evil", "http://localhost", "http://localhost:80a",
                "https://app.example.com:8443", "http://app.example.com", "https://a_b.example.org")) {
            assertThat(check.allows(o)).as(o).isFalse();
        }
        assertThat(OriginCheck.of(List.of()).allows("https://anything")).isTrue();
        assertThat(OriginCheck.of(List.of("null")).allows("null")).isTrue();
    }
}
