package dev.switchboard.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.http.ApiKeys;
import dev.switchboard.http.EmitHttpService;
import dev.switchboard.http.HttpAuthorizer;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emit API accepting a JWT with the {@code emit} scope, next to API keys. */
class JwtEmitApiTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String KEY = "orders-service-key-0123456789";
    private static final String BODY = "{\"id\":\"1\",\"type\":\"notifications.drawer\",\"broadcast\":true}";

    private Switchboard board;
    private EmitHttpService emit;

    @BeforeEach
    void setUp() {
        board = Switchboard.builder().build();
        JwtAuthenticator jwt = JwtAuthenticator.create(JwtAuthenticatorOptions.builder()
                .algorithms("HS256").secret(Tokens.SECRET).issuer("https://idp.test").audiences("switchboard").build());
        HttpAuthorizer either = HttpAuthorizer.anyOf(ApiKeys.of(KEY).requiring("emit"), jwt.requiring("emit"));
        emit = EmitHttpService.create(board.emitService(), either, board.mapper(), 4096);
    }

    @AfterEach
    void tearDown() {
        board.close();
    }

    private int post(String authorization, String id) {
        HttpRequest.Builder b = HttpRequest.builder("POST", "/api/emit").header("Content-Type", "application/json")
                .body(BODY.replace("\"1\"", "\"" + id + "\""));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse r = emit.handle(b.build());
        return r.status();
    }

    private static String token(Object scope) {
        return Tokens.hs256(Tokens.claims("billing", Duration.ofMinutes(5),
                b -> b.issuer("https://idp.test").audience("switchboard").claim("scope", scope)));
    }

    @Test
    void aTokenWithTheEmitScopeOrAnApiKeyMayEmit() throws Exception {
        assertThat(post("Bearer " + token("emit read"), "a")).isEqualTo(202);
        assertThat(post("Bearer " + token(List.of("emit")), "b")).isEqualTo(202);
        assertThat(post("Bearer " + KEY, "c")).isEqualTo(202);
        assertThat(MAPPER.readTree(emit.handle(HttpRequest.builder("POST", "/api/emit")
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
                .body(BODY).build()).body()).path("accepted").asBoolean()).isTrue();
    }

    @Test
    void aTokenWithoutTheScopeIs403AndAnInvalidOneIs401() {
        assertThat(post("Bearer " + token("read"), "x")).isEqualTo(403);
        assertThat(post("Bearer not-a-token-and-no-key", "y")).isEqualTo(401);
        assertThat(post(null, "z")).isEqualTo(401);
    }
}
