package dev.switchboard.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginCheckTest {
    private final OriginCheck check = OriginCheck.of(List.of("https://app.example.com", "https://*.example.org",
            "http://localhost:*"));
    private final OriginCheck sameOrigin = OriginCheck.of(List.of());

    @Test
    void exactOriginsAndPatterns() {
        assertThat(check.allows("https://app.example.com", "ws.example.net")).isTrue();
        assertThat(check.allows("HTTPS://APP.example.com", null)).isTrue();
        assertThat(check.allows("https://a.b.example.org", null)).isTrue();
        assertThat(check.allows("http://localhost:8080", null)).isTrue();
        assertThat(check.allows(null, null)).as("not a browser").isTrue();
    }

    @Test
    void everythingElseIsRefusedWhenAListIsGiven() {
        for (String o : List.of("https://evil.example", "https://app.example.com.evil.example", "null",
                "https://example.org", "https://x.example.org.evil", "http://localhost", "http://localhost:80a",
                "https://app.example.com:8443", "http://app.example.com", "https://a_b.example.org")) {
            assertThat(check.allows(o, "app.example.com")).as(o).isFalse();
        }
        // a list replaces the same-origin rule: the page's own origin must be listed too
        assertThat(check.allows("https://ws.example.net", "ws.example.net")).isFalse();
        assertThat(OriginCheck.of(List.of("null")).allows("null", null)).isTrue();
    }

    @Test
    void anEmptyListAllowsTheSameOriginOnly() {
        assertThat(sameOrigin.sameOriginOnly()).isTrue();
        assertThat(sameOrigin.allows("http://127.0.0.1:8080", "127.0.0.1:8080")).isTrue();
        assertThat(sameOrigin.allows("HTTPS://App.Example.com", "app.example.com")).as("default port 443").isTrue();
        assertThat(sameOrigin.allows("https://app.example.com", "app.example.com:443")).isTrue();
        assertThat(sameOrigin.allows("http://app.example.com", "app.example.com:80")).isTrue();
        assertThat(sameOrigin.allows("http://[::1]:9090", "[::1]:9090")).isTrue();
        assertThat(sameOrigin.allows(null, "app.example.com")).as("not a browser").isTrue();
        for (String o : List.of("http://127.0.0.1:8081", "http://localhost:8080", "https://evil.example",
                "http://127.0.0.1", "null", "file://", "ftp://127.0.0.1:8080", "http://127.0.0.1:8080.evil")) {
            assertThat(sameOrigin.allows(o, "127.0.0.1:8080")).as(o).isFalse();
        }
        assertThat(sameOrigin.allows("https://app.example.com", null)).as("no Host header").isFalse();
        assertThat(sameOrigin.allows("http://app.example.com:443", "app.example.com")).isFalse();
    }

    @Test
    void aStarAllowsEveryOrigin() {
        OriginCheck any = OriginCheck.of(List.of("*"));
        assertThat(any.allowsAny()).isTrue();
        assertThat(any.allows("https://anything.example", "elsewhere.example")).isTrue();
        assertThat(any.allows("null", null)).isTrue();
    }

    @Test
    void malformedEntriesAreRefused() {
        assertThatThrownBy(() -> OriginCheck.of(List.of("app.example.com"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OriginCheck.of(List.of("https://app.example.com/path")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
