package dev.switchboard.transport.internal;

import dev.switchboard.Identity;
import dev.switchboard.spi.Handshake;
import java.util.Objects;

/**
 * An authenticated upgrade on its way from the handshake to the endpoint.
 *
 * <p>Two hand-offs use it. The Jetty transport's {@code SwitchboardUpgradeFilter} authenticates
 * before the container upgrades and passes the result to the configurator on the same thread (every
 * servlet container we know runs the upgrade, and with it {@code modifyHandshake}, synchronously inside
 * the filter chain); the configurator then stores it in the per-upgrade user properties under
 * {@link #USER_PROPERTY}, where the endpoint finds it in {@code onOpen}. The thread-local is only a
 * shortcut that avoids authenticating twice: without it the configurator authenticates itself.
 *
 * @param handshake the upgrade request as the core sees it
 * @param identity who the authenticator said the client is
 */
public record PendingUpgrade(Handshake handshake, Identity identity) {
    /** The user-property key of the upgrade in the endpoint configuration. */
    public static final String USER_PROPERTY = "dev.switchboard.transport.jetty.upgrade";

    private static final ThreadLocal<PendingUpgrade> CURRENT = new ThreadLocal<>();

    /** Validates the components. */
    public PendingUpgrade {
        Objects.requireNonNull(handshake, "handshake");
        Objects.requireNonNull(identity, "identity");
    }

    /** @param upgrade the upgrade the filter authenticated, for the configurator on this thread */
    public static void offer(PendingUpgrade upgrade) {
        CURRENT.set(upgrade);
    }

    /** Forgets any upgrade offered on this thread; the filter calls it when the chain returns. */
    public static void clear() {
        CURRENT.remove();
    }

    /**
     * @param path the path of the upgrade being configured
     * @return the upgrade offered on this thread for that path, or {@code null}; removes it either way
     */
    public static PendingUpgrade take(String path) {
        PendingUpgrade upgrade = CURRENT.get();
        CURRENT.remove();
        // A stale or foreign offer must never lend its identity to another request.
        return upgrade != null && upgrade.handshake.path().equals(path) ? upgrade : null;
    }
}
