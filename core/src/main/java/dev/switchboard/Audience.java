package dev.switchboard;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who a message is for. Immutable; combine forms with the {@code and*} methods and subtract with
 * {@code except*}.
 *
 * <p>A connection matches when its id is named, its user is named, one of its topics is named, its
 * organisation is named and (no roles are named or it has one of them), or no organisation is named
 * and it has one of the named roles; {@link #everyone()} matches every connection. Connections and
 * users named in {@code except} never match.
 *
 * <pre>{@code
 * Audience.user("alice");
 * Audience.topic("lobby").exceptConnections(sender.id());
 * Audience.organisations("acme").roles("admin");
 * }</pre>
 *
 * @param broadcast true for every connection ({@link #everyone()})
 * @param connections connection ids
 * @param users user ids
 * @param topics topic names
 * @param organisations organisation ids
 * @param roles role names (restricting {@code organisations}, or on their own)
 * @param exceptConnections connection ids never to match
 * @param exceptUsers user ids never to match
 */
public record Audience(boolean broadcast, Set<String> connections, Set<String> users, Set<String> topics,
                       Set<String> organisations, Set<String> roles, Set<String> exceptConnections,
                       Set<String> exceptUsers) {

    private static final Audience EMPTY = new Audience(false, Set.of(), Set.of(), Set.of(), Set.of(), Set.of(),
            Set.of(), Set.of());

    /** Copies the sets; names must not be null. */
    public Audience {
        connections = Set.copyOf(connections);
        users = Set.copyOf(users);
        topics = Set.copyOf(topics);
        organisations = Set.copyOf(organisations);
        roles = Set.copyOf(roles);
        exceptConnections = Set.copyOf(exceptConnections);
        exceptUsers = Set.copyOf(exceptUsers);
    }

    /** @return every connection on every node */
    public static Audience everyone() {
        return EMPTY.withEveryone();
    }

    /** @param ids connection ids @return those connections */
    public static Audience connection(String... ids) {
        return EMPTY.andConnections(names(ids));
    }

    /** @param ids connection ids @return those connections */
    public static Audience connections(Collection<String> ids) {
        return EMPTY.andConnections(ids);
    }

    /** @param userIds user ids @return every connection of those users */
    public static Audience user(String... userIds) {
        return EMPTY.andUsers(names(userIds));
    }

    /** @param userIds user ids @return every connection of those users */
    public static Audience users(Collection<String> userIds) {
        return EMPTY.andUsers(userIds);
    }

    /** @param names topic names @return every connection in those topics */
    public static Audience topic(String... names) {
        return EMPTY.andTopics(names(names));
    }

    /** @param names topic names @return every connection in those topics */
    public static Audience topics(Collection<String> names) {
        return EMPTY.andTopics(names);
    }

    /**
     * @param ids organisation ids
     * @return every connection in those organisations; narrow with {@link #roles(String...)}
     */
    public static Audience organisations(String... ids) {
        return new Audience(false, Set.of(), Set.of(), Set.of(), Set.of(ids), Set.of(), Set.of(), Set.of());
    }

    /**
     * On an audience with organisations: only members with one of these roles. On its own
     * ({@code Audience.roles("admin")}): every connection with one of these roles.
     *
     * @param names role names
     * @return an audience that also names these roles
     */
    public Audience roles(String... names) {
        return new Audience(broadcast, connections, users, topics, organisations, union(roles, names(names)),
                exceptConnections, exceptUsers);
    }

    /** @param names role names @return every connection with one of these roles, in any organisation */
    public static Audience withRoles(String... names) {
        return EMPTY.roles(names);
    }

    /** @param ids more connection ids @return a new audience */
    public Audience andConnections(Collection<String> ids) {
        return new Audience(broadcast, union(connections, ids), users, topics, organisations, roles,
                exceptConnections, exceptUsers);
    }

    /** @param ids more user ids @return a new audience */
    public Audience andUsers(Collection<String> ids) {
        return new Audience(broadcast, connections, union(users, ids), topics, organisations, roles,
                exceptConnections, exceptUsers);
    }

    /** @param names more topics @return a new audience */
    public Audience andTopics(Collection<String> names) {
        return new Audience(broadcast, connections, users, union(topics, names), organisations, roles,
                exceptConnections, exceptUsers);
    }

    /** @param ids connection ids to leave out @return a new audience */
    public Audience exceptConnections(String... ids) {
        return new Audience(broadcast, connections, users, topics, organisations, roles,
                union(exceptConnections, names(ids)), exceptUsers);
    }

    /** @param ids user ids to leave out @return a new audience */
    public Audience exceptUsers(String... ids) {
        return new Audience(broadcast, connections, users, topics, organisations, roles, exceptConnections,
                union(exceptUsers, names(ids)));
    }

    /**
     * Tests one connection against this audience, by the rule in the class comment.
     *
     * @param connectionId the connection's id
     * @param identity the connection's identity
     * @param joined the connection's topics
     * @return true if the connection is in the audience
     */
    public boolean matches(String connectionId, Identity identity, Set<String> joined) {
        if (exceptConnections.contains(connectionId)
                || (identity.userId() != null && exceptUsers.contains(identity.userId()))) {
            return false;
        }
        if (broadcast || connections.contains(connectionId)
                || (identity.userId() != null && users.contains(identity.userId()))) {
            return true;
        }
        for (String topic : joined) {
            if (topics.contains(topic)) {
                return true;
            }
        }
        if (!organisations.isEmpty()) {
            return intersects(organisations, identity.organisations())
                    && (roles.isEmpty() || intersects(roles, identity.roles()));
        }
        return intersects(roles, identity.roles());
    }

    /** @return true if no connection can match */
    public boolean isEmpty() {
        return !broadcast && connections.isEmpty() && users.isEmpty() && topics.isEmpty()
                && organisations.isEmpty() && roles.isEmpty();
    }

    private Audience withEveryone() {
        return new Audience(true, connections, users, topics, organisations, roles, exceptConnections, exceptUsers);
    }

    private static boolean intersects(Set<String> a, Set<String> b) {
        Set<String> small = a.size() <= b.size() ? a : b;
        Set<String> large = small == a ? b : a;
        for (String s : small) {
            if (large.contains(s)) {
                return true;
            }
        }
        return false;
    }

    private static Collection<String> names(String... names) {
        for (String n : names) {
            Objects.requireNonNull(n, "name");
        }
        return Arrays.asList(names);
    }

    private static Set<String> union(Set<String> a, Collection<String> b) {
        if (b.isEmpty()) {
            return a;
        }
        Set<String> out = new LinkedHashSet<>(a);
        for (String s : b) {
            out.add(Objects.requireNonNull(s, "name"));
        }
        return out;
    }
}
