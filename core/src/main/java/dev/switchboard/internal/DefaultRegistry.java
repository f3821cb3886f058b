package dev.switchboard.internal;

import dev.switchboard.Audience;
import dev.switchboard.Identity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's index of live connections by id, user, topic, role, organisation and
 * (organisation, role). Resolving an {@link Audience} touches only the index entries it names, so its
 * cost grows with the matching connections, never with all connections (except for
 * {@link Audience#everyone()}, which matches all of them). Thread-safe.
 */
final class DefaultRegistry {
    private final Map<String, DefaultConnection> byId = new ConcurrentHashMap<>();
    private final Map<String, Set<DefaultConnection>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<DefaultConnection>> byTopic = new ConcurrentHashMap<>();
    private final Map<String, Set<DefaultConnection>> byRole = new ConcurrentHashMap<>();
    private final Map<String, Set<DefaultConnection>> byOrganisation = new ConcurrentHashMap<>();
    private final Map<String, Set<DefaultConnection>> byOrganisationRole = new ConcurrentHashMap<>();

    void add(DefaultConnection c) {
        byId.put(c.id(), c);
        Identity who = c.identity();
        if (who.userId() != null) {
            index(byUser, who.userId(), c);
        }
        for (String role : who.roles()) {
            index(byRole, role, c);
        }
        for (String org : who.organisations()) {
            index(byOrganisation, org, c);
            for (String role : who.roles()) {
                index(byOrganisationRole, orgRole(org, role), c);
            }
        }
    }

    void remove(DefaultConnection c) {
        synchronized (c) {
            if (!byId.remove(c.id(), c)) {
                return;
            }
        }
        Identity who = c.identity();
        if (who.userId() != null) {
            unindex(byUser, who.userId(), c);
        }
        for (String role : who.roles()) {
            unindex(byRole, role, c);
        }
        for (String org : who.organisations()) {
            unindex(byOrganisation, org, c);
            for (String role : who.roles()) {
                unindex(byOrganisationRole, orgRole(org, role), c);
            }
        }
        for (String topic : c.topicSet()) {
            unindex(byTopic, topic, c);
        }
    }

    /**
     * Moves a connection to a refreshed identity of the same user: indexes its new roles and
     * organisations first, then drops the old ones, so routing never misses it in between.
     */
    void reidentify(DefaultConnection c, Identity before, Identity after) {
        synchronized (c) {
            if (byId.get(c.id()) != c) {
                return;
            }
            for (String role : after.roles()) {
                index(byRole, role, c);
            }
            for (String org : after.organisations()) {
                index(byOrganisation, org, c);
                for (String role : after.roles()) {
                    index(byOrganisationRole, orgRole(org, role), c);
                }
            }
            for (String role : before.roles()) {
                if (!after.roles().contains(role)) {
                    unindex(byRole, role, c);
                }
            }
            for (String org : before.organisations()) {
                if (!after.organisations().contains(org)) {
                    unindex(byOrganisation, org, c);
                }
                for (String role : before.roles()) {
                    if (!after.organisations().contains(org) || !after.roles().contains(role)) {
                        unindex(byOrganisationRole, orgRole(org, role), c);
                    }
                }
            }
        }
    }

    /** @return true if the connection was not yet in the topic */
    boolean join(DefaultConnection c, String topic) {
        // Locking the connection orders join/leave against remove, so a join racing a close
        // cannot leave a dead connection in a topic index.
        synchronized (c) {
            if (byId.get(c.id()) != c) {
                return false;
            }
            boolean added = c.topicSet().add(topic);
            index(byTopic, topic, c);
            return added;
        }
    }

    /** @return true if the connection was in the topic */
    boolean leave(DefaultConnection c, String topic) {
        synchronized (c) {
            boolean removed = c.topicSet().remove(topic);
            unindex(byTopic, topic, c);
            return removed;
        }
    }

    DefaultConnection get(String id) {
        return byId.get(id);
    }

    Collection<DefaultConnection> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    int size() {
        return byId.size();
    }

    /** @return how many connections of this user are open on this node */
    int userCount(String userId) {
        Set<DefaultConnection> s = byUser.get(userId);
        return s == null ? 0 : s.size();
    }

    /**
     * @param topic a topic
     * @return its members on this node: a live, weakly consistent view (iterate, do not keep)
     */
    Collection<DefaultConnection> topicMembers(String topic) {
        Set<DefaultConnection> s = byTopic.get(topic);
        return s == null ? List.of() : s;
    }

    /** @return how many connections are in a topic on this node */
    int topicSize(String topic) {
        Set<DefaultConnection> s = byTopic.get(topic);
        return s == null ? 0 : s.size();
    }

    /**
     * Resolves an audience against this node's connections, each at most once.
     *
     * @param a the audience
     * @return the matching connections; for one topic or one user a live view of the index (iterate
     *     it at once, do not keep it)
     */
    Collection<DefaultConnection> resolve(Audience a) {
        if (a.broadcast()) {
            if (a.exceptConnections().isEmpty() && a.exceptUsers().isEmpty()) {
                return new ArrayList<>(byId.values());
            }
            return except(new ArrayList<>(byId.values()), a);
        }
        if (a.connections().isEmpty() && a.organisations().isEmpty() && a.roles().isEmpty()
                && a.exceptConnections().isEmpty() && a.exceptUsers().isEmpty()) {
            // The common cases, one topic or one user: the index set needs no copy, no de-duplication.
            if (a.topics().size() == 1 && a.users().isEmpty()) {
                return topicMembers(a.topics().iterator().next());
            }
            if (a.users().size() == 1 && a.topics().isEmpty()) {
                Set<DefaultConnection> s = byUser.get(a.users().iterator().next());
                return s == null ? List.of() : s;
            }
        }
        Set<DefaultConnection> out = new LinkedHashSet<>();
        for (String id : a.connections()) {
            DefaultConnection c = byId.get(id);
            if (c != null) {
                out.add(c);
            }
        }
        addAll(out, byUser, a.users());
        addAll(out, byTopic, a.topics());
        if (!a.organisations().isEmpty()) {
            if (a.roles().isEmpty()) {
                addAll(out, byOrganisation, a.organisations());
            } else {
                for (String org : a.organisations()) {
                    for (String role : a.roles()) {
                        addAll(out, byOrganisationRole.get(orgRole(org, role)));
                    }
                }
            }
        } else {
            addAll(out, byRole, a.roles());
        }
        if (a.exceptConnections().isEmpty() && a.exceptUsers().isEmpty()) {
            return out;
        }
        return except(out, a);
    }

    private static Collection<DefaultConnection> except(Collection<DefaultConnection> in, Audience a) {
        in.removeIf(c -> a.exceptConnections().contains(c.id())
                || (c.identity().userId() != null && a.exceptUsers().contains(c.identity().userId())));
        return in;
    }

    private static void addAll(Set<DefaultConnection> out, Map<String, Set<DefaultConnection>> index,
                               Set<String> keys) {
        for (String key : keys) {
            addAll(out, index.get(key));
        }
    }

    private static void addAll(Set<DefaultConnection> out, Set<DefaultConnection> found) {
        if (found != null) {
            out.addAll(found);
        }
    }

    private static String orgRole(String org, String role) {
        return org + '\u0000' + role;
    }

    private static void index(Map<String, Set<DefaultConnection>> index, String key, DefaultConnection c) {
        index.compute(key, (k, set) -> {
            Set<DefaultConnection> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(c);
            return s;
        });
    }

    private static void unindex(Map<String, Set<DefaultConnection>> index, String key, DefaultConnection c) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
    }
}
