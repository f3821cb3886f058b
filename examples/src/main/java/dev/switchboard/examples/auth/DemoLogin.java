package dev.switchboard.examples.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.auth.jwt.JwtAuthenticator;
import dev.switchboard.auth.jwt.JwtAuthenticatorOptions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The examples' stand-in for an identity provider: {@code POST /demo/login {"user":"alice"}} answers
 * {@code {"token": <JWT>, "expiresInSec": 300}}, a short-lived HS256 token for that demo user, signed
 * with a secret drawn at random when the example starts (tokens die with the process). Nodes behind one
 * load balancer must accept each other's tokens: give them the same secret, at least 32 characters, in
 * {@code DEMO_SECRET} (or {@code -DdemoSecret=…}). The pages ask for
 * a token, connect with it, and ask again before it expires; the node trusts only what the token says,
 * never a name in a URL.
 *
 * <p>A demo: anyone may pick any user name. A real application gets its tokens from its own login or
 * identity provider (Keycloak, Auth0, …) and configures {@link JwtAuthenticator} with the provider's
 * JWKS URL instead.
 */
public final class DemoLogin {
    /** The issuer and audience the demo tokens carry and the authenticator requires. */
    public static final String ISSUER = "switchboard-demo";
    /** The path of the login endpoint. */
    public static final String PATH = "/demo/login";
    private static final Pattern USER = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} _.-]{0,39}");
    private static final Pattern AGE = Pattern.compile("[0-9]{1,3}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] secret;
    private final Duration lifetime;
    private final JwtAuthenticator authenticator;

    /** @param lifetime how long a demo token is valid */
    public DemoLogin(Duration lifetime) {
        String shared = System.getProperty("demoSecret", System.getenv("DEMO_SECRET"));
        if (shared != null && !shared.isBlank()) {
            byte[] given = shared.trim().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (given.length < 32) {
                throw new IllegalArgumentException("DEMO_SECRET must be at least 32 characters");
            }
            secret = given;
        } else {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        }
        this.lifetime = lifetime;
        this.authenticator = JwtAuthenticator.create(JwtAuthenticatorOptions.builder()
                .algorithms("HS256").secret(secret).issuer(ISSUER).audiences(ISSUER)
                .clockSkew(Duration.ZERO) // signed and checked by this one process, on one clock
                .build());
    }

    /** @return demo tokens valid for five minutes */
    public static DemoLogin create() {
        return new DemoLogin(Duration.ofMinutes(5));
    }

    /** @return the authenticator that accepts this login's tokens (and nothing else) */
    public JwtAuthenticator authenticator() {
        return authenticator;
    }

    /**
     * @param user the demo user
     * @param extra further claims (the chat's {@code age})
     * @return a signed token
     */
    public String token(String user, Map<String, Object> extra) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(user).claim("name", user)
                .issuer(ISSUER).audience(ISSUER).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(lifetime)));
        extra.forEach(claims::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** @return the {@code POST /demo/login} endpoint */
    public HttpServlet servlet() {
        return new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                JsonNode body;
                try {
                    body = JSON.readTree(req.getInputStream().readNBytes(1024));
                } catch (IOException e) {
                    body = null;
                }
                String user = body == null ? "" : body.path("user").asText("").trim();
                String age = body == null ? "" : body.path("age").asText("").trim();
                if (!USER.matcher(user).matches() || !(age.isEmpty() || AGE.matcher(age).matches())) {
                    write(resp, 400, Map.of("error", Map.of("code", "bad_request",
                            "message", "user: 1 to 40 letters, digits, spaces, '.', '_' or '-'; age: a number")));
                    return;
                }
                String token = token(user, age.isEmpty() ? Map.of() : Map.of("age", age));
                write(resp, 200, Map.of("token", token, "expiresInSec", lifetime.toSeconds()));
            }
        };
    }

    private static void write(HttpServletResponse resp, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    /**
     * The origins the examples' pages are served from, for {@code JettyTransportOptions.allowedOrigins}:
     * {@code http://localhost:*} and {@code http://127.0.0.1:*}, plus any listed in
     * {@code -DallowedOrigins=…} or {@code ALLOWED_ORIGINS} (comma-separated) for a page served elsewhere.
     *
     * @return the allowed origins
     */
    public static String[] allowedOrigins() {
        String extra = System.getProperty("allowedOrigins", System.getenv().getOrDefault("ALLOWED_ORIGINS", ""));
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("http://localhost:*", "http://127.0.0.1:*"));
        for (String o : extra.split(",")) {
            if (!o.isBlank()) {
                all.add(o.trim());
            }
        }
        return all.toArray(String[]::new);
    }

    @Override
    public String toString() {
        return "DemoLogin[" + PATH + ", tokens for " + lifetime + "]";
    }
}
