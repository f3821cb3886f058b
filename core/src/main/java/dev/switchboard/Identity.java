package dev.switchboard;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who a client is, decided once at the handshake by an {@link dev.switchboard.spi.Authenticator}.
 * Immutable. Anonymous clients get {@link #anonymous()}, never {@code null}.
 *
 * @param userId the user's id, or {@code null} when {@link #anonymous()}
 * @param name a display name (the user id when none was given; {@code "anonymous"} for anonymous)
 * @param roles role names, e.g. {@code admin}
 * @param organisations organisation ids the user belongs to
 * @param claims any further attributes, e.g. token claims
 * @param expiresAt when the credential this identity came from expires, or {@code null} for never: the
 *     node closes the connection then with {@link CloseCodes#TOKEN_EXPIRED} (4001), unless the client
 *     sent a fresh token for the same user first (an {@code auth} frame, see
 *     {@link dev.switchboard.spi.Authenticator#refresh})
 */
public record Identity(String userId, String name, Set<String> roles, Set<String> organisations,
                       Map<String, Object> claims, Instant expiresAt) {

    private static final Identity ANONYMOUS = new Identity(null, "anonymous", Set.of(), Set.of(), Map.of(), null);

    /** Validates and copies the collections. */
    public Identity {
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
        organisations = Set.copyOf(organisations);
        claims = Map.copyOf(claims);
    }

    /**
     * An identity that never expires.
     *
     * @param userId the user's id, or {@code null} for anonymous
     * @param name the display name
     * @param roles role names
     * @param organisations organisation ids
     * @param claims further attributes
     */
    public Identity(String userId, String name, Set<String> roles, Set<String> organisations,
                    Map<String, Object> claims) {
        this(userId, name, roles, organisations, claims, null);
    }

    /** @return the anonymous identity: no user id, no roles, no organisations */
    public static Identity anonymous() {
        return ANONYMOUS;
    }

    /**
     * @param userId the user id, also used as the display name
     * @return an identity with no roles or organisations
     */
    public static Identity user(String userId) {
        return builder(userId).build();
    }

    /**
     * @param userId the user id
     * @return a builder for an identity of that user
     */
    public static Builder builder(String userId) {
        return new Builder(Objects.requireNonNull(userId, "userId"));
    }

    /** @return true for the anonymous identity */
    public boolean isAnonymous() {
        return userId == null;
    }

    /**
     * @param role a role name
     * @return true if this identity has the role
     */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Builds an {@link Identity}. */
    public static final class Builder {
        private final String userId;
        private String name;
        private Set<String> roles = Set.of();
        private Set<String> organisations = Set.of();
        private Map<String, Object> claims = Map.of();
        private Instant expiresAt;

        private Builder(String userId) {
            this.userId = userId;
            this.name = userId;
        }

        /** @param name the display name (default: the user id) @return this */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** @param roles the roles (default: none) @return this */
        public Builder roles(String... roles) {
            this.roles = Set.of(roles);
            return this;
        }

        /** @param organisations the organisations (default: none) @return this */
        public Builder organisations(String... organisations) {
            this.organisations = Set.of(organisations);
            return this;
        }

        /** @param claims extra attributes (default: none) @return this */
        public Builder claims(Map<String, Object> claims) {
            this.claims = Map.copyOf(claims);
            return this;
        }

        /** @param roles the roles (default: none) @return this */
        public Builder roles(java.util.Collection<String> roles) {
            this.roles = Set.copyOf(roles);
            return this;
        }

        /** @param organisations the organisations (default: none) @return this */
        public Builder organisations(java.util.Collection<String> organisations) {
            this.organisations = Set.copyOf(organisations);
            return this;
        }

        /**
         * @param expiresAt when the credential expires, or {@code null} for never (the default)
         * @return this
         */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        /** @return the identity */
        public Identity build() {
            return new Identity(userId, name, roles, organisations, claims, expiresAt);
        }
    }
}
