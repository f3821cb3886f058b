package dev.switchboard.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.Switchboard;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ClientState;
import dev.switchboard.client.CloseStatus;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The authenticator in a real node behind real Jetty: a JWKS served over HTTP by a local server (rotation,
 * caching), real Java clients whose tokens expire and are refreshed through their callback, and the
 * log file of this module's tests, which must never contain a token.
 */
class JwtEndToEndIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private JettyTransport serve(JwtAuthenticator jwt) {
        Switchboard board = Switchboard.builder().authenticator(jwt).build();
        board.onRequest("whoami", (conn, data) -> conn.identity().userId() + " " + conn.identity().roles());
        resources.add(board);
        JettyTransport t = JettyTransport.start(board, JettyTransportOptions.builder().host("127.0.0.1").port(0).build());
        resources.add(t);
        return t;
    }

    /** A JWKS endpoint on a free local port, counting its fetches. */
    private static final class Jwks implements AutoCloseable {
        final AtomicReference<String> body = new AtomicReference<>("{\"keys\":[]}");
        final AtomicInteger fetches = new AtomicInteger();
        final HttpServer server;

        Jwks() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/jwks.json", exchange -> {
                fetches.incrementAndGet();
                byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, b.length);
                exchange.getResponseBody().write(b);
                exchange.close();
            });
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private String rs256(RSAKey key, String sub, Duration ttl) {
        String t = Tokens.rs256(key, Tokens.claims(sub, ttl, b -> b.claim("roles", List.of("reader"))));
        issued.add(t);
        return t;
    }

    private String hs256(String sub, Duration ttl) {
        String t = Tokens.hs256(Tokens.claims(sub, ttl, b -> { }));
        issued.add(t);
        return t;
    }

    private static int status(URI uri, String token) throws Exception {
        try {
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(uri, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
            ws.abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(20); // polling a condition with a deadline
        }
    }

    @Test
    void keysComeFromAJwksUrlAreCachedAndRotate() throws Exception {
        RSAKey k1 = Tokens.rsa("k1");
        RSAKey k2 = Tokens.rsa("k2");
        Jwks jwks = new Jwks();
        resources.add(jwks);
        jwks.body.set(Tokens.publicSet(k1).toString());
        JettyTransport transport = serve(JwtAuthenticator.create(JwtAuthenticatorOptions.builder().algorithms("RS256")
                .jwksUri(jwks.uri()).jwksCache(Duration.ofMinutes(10), Duration.ofMillis(500)).build()));

        for (int i = 0; i < 5; i++) {
            assertThat(status(transport.uri(), rs256(k1, "u" + i, Duration.ofMinutes(5)))).isEqualTo(101);
        }
        assertThat(jwks.fetches.get()).as("fetched once, then cached").isEqualTo(1);

        // The issuer starts signing with k2 before our cache knows it: refused until k2 is published...
        String withK2 = rs256(k2, "rotated", Duration.ofMinutes(5));
        assertThat(status(transport.uri(), withK2)).isEqualTo(401);
        jwks.body.set(Tokens.publicSet(k1, k2).toString());
        // ...then an unknown kid makes the cache refetch, at most once per minimum interval.
        await(() -> {
            try {
                return status(transport.uri(), withK2) == 101;
            } catch (Exception e) {
                return false;
            }
        }, "a k2 token accepted after k2 was published");
        assertThat(status(transport.uri(), rs256(k1, "old", Duration.ofMinutes(5)))).isEqualTo(101);
        assertThat(jwks.fetches.get()).as("a handful of fetches, not one per handshake").isLessThan(10);
    }

    @Test
    void aClientWithATokenProviderRefreshesInBandAndKeepsItsConnection() throws Exception {
        JettyTransport transport = serve(JwtAuthenticator.create(JwtAuthenticatorOptions.builder().algorithms("HS256")
                .secret(Tokens.SECRET).clockSkew(Duration.ZERO).build()));
        AtomicInteger asked = new AtomicInteger();
        SwitchboardClient client = SwitchboardClient.connect(ClientOptions.builder(transport.uri())
                .tokenProvider(() -> {
                    asked.incrementAndGet();
                    return CompletableFuture.completedFuture(hs256("alice", Duration.ofSeconds(3)));
                }).reconnect(true).build()).get(10, TimeUnit.SECONDS);
        resources.add(client::close);
        String connectionId = client.connectionId();

        await(() -> asked.get() >= 3, "two in-band refreshes (each token lives 3 s)");
        assertThat(client.request("whoami", null).get(5, TimeUnit.SECONDS).asText()).startsWith("alice");
        assertThat(client.connectionId()).as("the same connection, never closed").isEqualTo(connectionId);
        assertThat(client.state()).isEqualTo(ClientState.OPEN);
    }

    @Test
    void aClientWithoutFreshTokensIsClosedWith4001WhenItsTokenExpires() throws Exception {
        JettyTransport transport = serve(JwtAuthenticator.create(JwtAuthenticatorOptions.builder().algorithms("HS256")
                .secret(Tokens.SECRET).clockSkew(Duration.ZERO).build()));
        SwitchboardClient client = SwitchboardClient.connect(ClientOptions.builder(transport.uri())
                .token(hs256("bob", Duration.ofSeconds(2))).build()).get(10, TimeUnit.SECONDS);
        resources.add(client::close);

        CloseStatus closed = client.closeFuture().get(10, TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(4001);
        assertThat(closed.reason()).isEqualTo("token expired");
        assertThat(client.state()).isEqualTo(ClientState.CLOSED);
    }

    @Test
    void tokensNeverAppearInTheLogs() throws Exception {
        JwtAuthenticator jwt = JwtAuthenticator.create(JwtAuthenticatorOptions.builder().algorithms("HS256")
                .secret(Tokens.SECRET).build());
        JettyTransport transport = serve(jwt);
        String good = hs256("carol", Duration.ofMinutes(5));
        String expired = hs256("carol", Duration.ofMinutes(-5));
        String tampered = Tokens.tampered(hs256("carol", Duration.ofMinutes(5)));
        issued.add(tampered);
        String other = hs256("mallory", Duration.ofMinutes(5));

        assertThat(status(transport.uri(), good)).isEqualTo(101);
        assertThat(status(transport.uri(), expired)).isEqualTo(401);
        assertThat(status(transport.uri(), tampered)).isEqualTo(401);
        WebSocket viaProtocol = HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("switchboard.v1", "access_token." + good)
                .buildAsync(transport.uri(), new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
        assertThat(viaProtocol.getSubprotocol()).isEqualTo("switchboard.v1");
        viaProtocol.abort();
        URI viaQuery = URI.create(transport.uri() + "?access_token=" + tampered);
        assertThat(status(viaQuery, "garbage." + tampered)).isEqualTo(401);

        // In-band refreshes: refused (another user, a bad token) and accepted.
        SwitchboardClient client = SwitchboardClient.connect(ClientOptions.builder(transport.uri()).token(good).build())
                .get(10, TimeUnit.SECONDS);
        resources.add(client::close);
        CompletionStage<?> bad = sendAuth(transport.uri(), good, other);
        assertThat(bad.toCompletableFuture().get(10, TimeUnit.SECONDS).toString()).contains("forbidden");
        assertThat(sendAuth(transport.uri(), good, tampered).toCompletableFuture().get(10, TimeUnit.SECONDS).toString())
                .contains("unauthorized");
        assertThat(sendAuth(transport.uri(), good, hs256("carol", Duration.ofMinutes(9)))
                .toCompletableFuture().get(10, TimeUnit.SECONDS).toString()).contains("expiresInMs");
        client.close();

        Path log = Path.of("target", "auth-jwt-tests.log");
        await(() -> Files.exists(log), "the log file");
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(text).as("debug logging was on").contains("Refused a JWT");
        for (String token : issued) {
            assertThat(text).as("a token in the log").doesNotContain(token);
            assertThat(text).as("a token's signature in the log").doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        }
    }

    /** Opens a raw socket with {@code token}, sends an auth frame with {@code fresh}, completes with the reply. */
    private static CompletionStage<String> sendAuth(URI uri, String token, String fresh) throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            String t = text.toString();
                            text.setLength(0);
                            if (t.contains("\"reply\"")) {
                                reply.complete(t);
                            }
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"auth\",\"id\":1,\"token\":\"" + fresh + "\"}", true);
        return reply.whenComplete((r, e) -> ws.abort());
    }
}
