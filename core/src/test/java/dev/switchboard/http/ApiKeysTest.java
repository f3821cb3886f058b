package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Identity;
import dev.switchboard.spi.AuthenticationException;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    private static final String ORDERS = "orders-key-0123456789";
    private static final String ORDERS_OLD = "orders-key-previous-0123";
    private static final String BILLING = "billing-key-0123456789";

    private final ApiKeys keys = ApiKeys.builder()
            .key("orders-service", ORDERS)
            .key("orders-service", ORDERS_OLD)
            .key("billing", BILLING, "events")
            .build();

    private static HttpRequest bearer(String key) {
        return HttpRequest.builder("POST", "/api/emit").header("Authorization", "Bearer " + key).build();
    }

    @Test
    void bothKeysOfARotationAreValidAndNameTheCaller() {
        assertThat(keys.authorize(bearer(ORDERS)).userId()).isEqualTo("orders-service");
        assertThat(keys.authorize(bearer(ORDERS_OLD)).userId()).isEqualTo("orders-service");
        HttpRequest header = HttpRequest.builder("POST", "/").header("x-api-key", BILLING).build();
        assertThat(keys.authorize(header).userId()).isEqualTo("billing");
    }

    @Test
    void noKeyOrAWrongKeyIs401() {
        for (HttpRequest r : new HttpRequest[] {HttpRequest.builder("POST", "/").build(), bearer(ORDERS + "x"),
                bearer(ORDERS.substring(1)), HttpRequest.builder("POST", "/").header("Authorization", "Basic abc").build()}) {
            assertThatThrownBy(() -> keys.authorize(r)).isInstanceOfSatisfying(AuthenticationException.class,
                    e -> assertThat(e.httpStatus()).isEqualTo(401));
        }
    }

    @Test
    void aKeyWithoutTheScopeIs403() {
        HttpAuthorizer emit = keys.requiring("emit");
        assertThat(emit.authorize(bearer(ORDERS)).userId()).as("no scopes: every scope").isEqualTo("orders-service");
        assertThatThrownBy(() -> emit.authorize(bearer(BILLING))).isInstanceOfSatisfying(AuthenticationException.class,
                e -> assertThat(e.httpStatus()).isEqualTo(403));
        assertThatThrownBy(() -> emit.authorize(bearer("unknown-key-0123456789")))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
        assertThat(keys.requiring("events").authorize(bearer(BILLING)).userId()).isEqualTo("billing");
    }

    @Test
    void shortKeysAndNoKeysAreRefusedAndKeysAreNeverPrinted() {
        assertThatThrownBy(() -> ApiKeys.of("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("short\"");
        assertThatThrownBy(() -> ApiKeys.builder().build()).isInstanceOf(IllegalArgumentException.class);
        assertThat(keys.toString()).contains("orders-service").doesNotContain(ORDERS).doesNotContain(BILLING);
    }

    @Test
    void keysParseFromOneSetting() {
        ApiKeys parsed = ApiKeys.parse(" a=" + ORDERS + ", b=" + BILLING + ",");
        assertThat(parsed.size()).isEqualTo(2);
        assertThat(parsed.authorize(bearer(BILLING)).userId()).isEqualTo("b");
        assertThatThrownBy(() -> ApiKeys.parse(ORDERS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(ORDERS);
    }

    @Test
    void anyOfTakesTheFirstThatAcceptsAndPrefers403Over401() {
        HttpAuthorizer jwtLike = r -> {
            if ("jwt-with-emit".equals(r.bearerToken())) {
                return Identity.user("svc");
            }
            if ("jwt-without-emit".equals(r.bearerToken())) {
                throw AuthenticationException.forbidden("no emit scope");
            }
            throw AuthenticationException.unauthorized("not a token");
        };
        HttpAuthorizer either = HttpAuthorizer.anyOf(keys.requiring("emit"), jwtLike);
        assertThat(either.authorize(bearer(ORDERS)).userId()).isEqualTo("orders-service");
        assertThat(either.authorize(bearer("jwt-with-emit")).userId()).isEqualTo("svc");
        assertThatThrownBy(() -> either.authorize(bearer("jwt-without-emit")))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.httpStatus()).isEqualTo(403));
        assertThatThrownBy(() -> either.authorize(bearer("nothing-at-all-0123")))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
    }
}
