package dev.switchboard.http;

import dev.switchboard.Identity;
import dev.switchboard.spi.AuthenticationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * API keys for service-to-service calls such as the emit API: the caller sends
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. Several keys may be valid at once,
 * also for the same caller, so a key is rotated by adding the new one, moving callers over, then
 * removing the old one. Each key may be limited to scopes ({@code emit}, {@code events}, …); see
 * {@link #requiring(String)}.
 *
 * <pre>{@code
 * ApiKeys keys = ApiKeys.builder()
 *         .key("orders-service", System.getenv("ORDERS_KEY"))             // every scope
 *         .key("orders-service", System.getenv("ORDERS_KEY_PREVIOUS"))    // during a rotation
 *         .key("billing", System.getenv("BILLING_KEY"), "emit")
 *         .build();
 * }</pre>
 *
 * <p>Keys are kept only as SHA-256 digests, and a presented key is compared with every one of them in
 * constant time ({@link MessageDigest#isEqual} on digests of equal length, no early exit), so the time
 * an answer takes tells nothing about how close a guess was or which key matched. Immutable and
 * thread-safe.
 */
public final class ApiKeys implements HttpAuthorizer {
    /** The shortest key accepted, in characters: shorter keys are too easy to guess. */
    public static final int MIN_KEY_LENGTH = 16;
    /** The header that may carry a key instead of {@code Authorization: Bearer}. */
    public static final String HEADER = "X-API-Key";

    private record Key(String name, byte[] digest, Set<String> scopes) { }

    private final List<Key> keys;

    private ApiKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /** @return a builder with no keys */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param secrets one or more keys, valid for every scope, named {@code api-key-1}, {@code api-key-2}, …
     * @return the keys
     * @throws IllegalArgumentException for none, or a key shorter than {@value #MIN_KEY_LENGTH} characters
     */
    public static ApiKeys of(String... secrets) {
        Builder b = builder();
        for (int i = 0; i < secrets.length; i++) {
            b.key("api-key-" + (i + 1), secrets[i]);
        }
        return b.build();
    }

    /**
     * Parses keys from one setting, e.g. an environment variable: comma-separated {@code name=key}
     * entries, valid for every scope ({@code orders-service=k1…,billing=k2…}).
     *
     * @param spec the setting
     * @return the keys
     * @throws IllegalArgumentException for an entry without {@code name=}, or a short key
     */
    public static ApiKeys parse(String spec) {
        Builder b = builder();
        for (String entry : Objects.requireNonNull(spec, "spec").split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("API key entries are name=key, comma-separated");
            }
            b.key(e.substring(0, eq).trim(), e.substring(eq + 1).trim());
        }
        return b.build();
    }

    /**
     * Accepts a request that presents one of the keys, whatever its scopes.
     *
     * @throws AuthenticationException {@code unauthorized} (401) when no key or an unknown key is presented
     */
    @Override
    public Identity authorize(HttpRequest request) {
        Key key = match(request);
        return Identity.builder(key.name()).claims(Map.of("scopes", List.copyOf(key.scopes()))).build();
    }

    /**
     * @param scope a scope, e.g. {@code emit}
     * @return an authorizer that accepts a request presenting a key valid for that scope: 401 for no or
     *     an unknown key, 403 for a key without the scope
     */
    public HttpAuthorizer requiring(String scope) {
        Objects.requireNonNull(scope, "scope");
        return request -> {
            Key key = match(request);
            if (!key.scopes().isEmpty() && !key.scopes().contains(scope)) {
                throw AuthenticationException.forbidden("API key \"" + key.name() + "\" is not valid for " + scope);
            }
            return Identity.builder(key.name()).build();
        };
    }

    /** @return how many keys there are */
    public int size() {
        return keys.size();
    }

    private Key match(HttpRequest request) {
        String presented = request.header(HEADER);
        if (presented == null || presented.isBlank()) {
            presented = request.bearerToken();
        }
        if (presented == null || presented.isBlank()) {
            throw AuthenticationException.unauthorized("no API key: send \"Authorization: Bearer <key>\" or \""
                    + HEADER + ": <key>\"");
        }
        byte[] digest = sha256(presented.trim());
        Key found = null;
        for (Key k : keys) {
            // Every key is compared, always: no early exit.
            if (MessageDigest.isEqual(k.digest(), digest) && found == null) {
                found = k;
            }
        }
        if (found == null) {
            throw AuthenticationException.unauthorized("invalid API key");
        }
        return found;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        // Names only: never the keys.
        List<String> names = new ArrayList<>();
        for (Key k : keys) {
            names.add(k.name() + (k.scopes().isEmpty() ? "" : k.scopes().toString()));
        }
        return "ApiKeys" + names;
    }

    /** Builds {@link ApiKeys}. Not thread-safe. */
    public static final class Builder {
        private final List<Key> keys = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param name who holds the key, e.g. {@code orders-service}; reported as the caller
         * @param secret the key, at least {@value ApiKeys#MIN_KEY_LENGTH} characters
         * @param scopes what the key is valid for, e.g. {@code emit}; none means every scope
         * @return this
         * @throws IllegalArgumentException for a blank name or a short key
         */
        public Builder key(String name, String secret, String... scopes) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("an API key needs a name");
            }
            if (secret == null || secret.trim().length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException("API key \"" + name + "\" must have at least " + MIN_KEY_LENGTH
                        + " characters");
            }
            keys.add(new Key(name, sha256(secret.trim()), Set.of(scopes)));
            return this;
        }

        /**
         * @return the keys
         * @throws IllegalArgumentException when no key was added
         */
        public ApiKeys build() {
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("at least one API key is needed");
            }
            return new ApiKeys(keys);
        }
    }
}
