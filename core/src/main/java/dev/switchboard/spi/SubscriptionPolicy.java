package dev.switchboard.spi;

import dev.switchboard.Connection;

/**
 * Decides whether a client may {@code subscribe} to a topic itself. Server-side
 * {@link Connection#join(String)} is not subject to it. The default denies everything.
 */
@FunctionalInterface
public interface SubscriptionPolicy {

    /**
     * Called on a core handler thread; may block briefly.
     *
     * @param connection the connection asking
     * @param topic the topic it asks for
     * @return true to allow
     */
    boolean canSubscribe(Connection connection, String topic);

    /** @return a policy that denies every client subscription (the default) */
    static SubscriptionPolicy denyAll() {
        return (connection, topic) -> false;
    }

    /** @return a policy that allows every client subscription */
    static SubscriptionPolicy allowAll() {
        return (connection, topic) -> true;
    }

    /**
     * @param prefixes topic prefixes, e.g. {@code "collection:"}, {@code "public."}
     * @return a policy that allows topics starting with one of the prefixes
     */
    static SubscriptionPolicy allowPrefixes(String... prefixes) {
        String[] copy = prefixes.clone();
        return (connection, topic) -> {
            for (String p : copy) {
                if (topic.startsWith(p)) {
                    return true;
                }
            }
            return false;
        };
    }
}
