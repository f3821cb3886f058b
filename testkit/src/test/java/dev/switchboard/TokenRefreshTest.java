package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.spi.Handshake;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Identities that expire: the 4001 close, and fresh tokens sent in-band with {@code auth}. */
class TokenRefreshTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private Switchboard board;

    /** Tokens "user/role/millis-from-now". */
    private static final Authenticator TOKENS = new Authenticator() {
        @Override
        public Identity authenticate(Handshake handshake) {
            return parse(handshake.bearerToken());
        }

        @Override
        public Identity refresh(Identity current, String token) {
            return parse(token);
        }

        private Identity parse(String token) {
            String[] p = token == null ? new String[0] : token.split("/");
            if (p.length != 3) {
                throw AuthenticationException.unauthorized("bad token");
            }
            return Identity.builder(p[0]).roles(p[1]).expiresAt(Instant.now().plusMillis(Long.parseLong(p[2]))).build();
        }
    };

    @AfterEach
    void tearDown() {
        if (board != null) {
            board.close();
        }
    }

    private InMemoryClient connect(String token) {
        board = board != null ? board : Switchboard.builder().authenticator(TOKENS).build();
        InMemoryClient c = InMemoryTransport.attach(board).connect(new Handshake("/ws",
                Map.of("access_token", List.of(token)), Map.of(), List.of(), null));
        return c;
    }

    @Test
    void aConnectionWhoseTokenExpiresIsClosedWith4001() throws Exception {
        InMemoryClient c = connect("alice/user/400");
        JsonNode welcome = c.nextFrame(WAIT);
        assertThat(welcome.path("expiresInMs").asLong()).isBetween(1L, 400L);
        assertThat(c.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.TOKEN_EXPIRED);
        assertThat(c.closeReason()).isEqualTo("token expired");
    }

    @Test
    void aFreshTokenForTheSameUserKeepsTheConnectionAndChangesItsRoles() throws Exception {
        InMemoryClient c = connect("alice/user/600");
        c.nextFrame(WAIT);
        c.send("{\"type\":\"auth\",\"id\":1,\"token\":\"alice/admin/60000\"}");
        JsonNode reply = c.nextFrame(WAIT);
        assertThat(reply.path("id").asInt()).isEqualTo(1);
        assertThat(reply.at("/data/expiresInMs").asLong()).isBetween(50_000L, 60_000L);
        assertThat(board.connections().iterator().next().identity().roles()).containsExactly("admin");
        // Routing by role follows the refreshed identity.
        assertThat(board.to(Audience.withRoles("admin")).emit("hello", 1)).isEqualTo(1);
        assertThat(board.to(Audience.withRoles("user")).emit("hello", 2)).isZero();
        assertThat(c.nextFrame(WAIT).path("data").asInt()).isEqualTo(1);
        // The old expiry passes: still open.
        assertThatThrownBy(() -> c.closeCode().get(1200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void aTokenOfAnotherUserOrABadTokenIsRefusedAndTheOldExpiryStands() throws Exception {
        InMemoryClient c = connect("alice/user/800");
        c.nextFrame(WAIT);
        c.send("{\"type\":\"auth\",\"id\":1,\"token\":\"mallory/admin/60000\"}");
        assertThat(c.nextFrame(WAIT).at("/error/code").asText()).isEqualTo("forbidden");
        c.send("{\"type\":\"auth\",\"id\":2,\"token\":\"garbage\"}");
        assertThat(c.nextFrame(WAIT).at("/error/code").asText()).isEqualTo("unauthorized");
        c.send("{\"type\":\"auth\",\"id\":3}");
        assertThat(c.nextFrame(WAIT).at("/error/code").asText()).isEqualTo("bad_request");
        assertThat(board.connections().iterator().next().identity().userId()).isEqualTo("alice");
        assertThat(c.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.TOKEN_EXPIRED);
    }

    @Test
    void theDefaultAuthenticatorRefusesRefreshes() {
        board = Switchboard.builder().build();
        InMemoryClient c = InMemoryTransport.attach(board).connect();
        assertThat(c.nextFrame(WAIT).has("expiresInMs")).isFalse();
        c.send("{\"type\":\"auth\",\"id\":1,\"token\":\"x\"}");
        assertThat(c.nextFrame(WAIT).at("/error/code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void handshakesNeverPrintTokens() {
        Handshake h = new Handshake("/ws", Map.of("access_token", List.of("secret-q")),
                Map.of("Authorization", List.of("Bearer secret-h")), List.of("switchboard.v1", "access_token.secret-p"), null);
        assertThat(h.bearerToken()).isEqualTo("secret-h");
        assertThat(h.protocolToken()).isEqualTo("secret-p");
        assertThat(h.toString()).doesNotContain("secret");
        assertThat(new dev.switchboard.protocol.Frame.Auth(new com.fasterxml.jackson.databind.node.IntNode(1), "secret-a")
                .toString()).doesNotContain("secret");
    }
}
