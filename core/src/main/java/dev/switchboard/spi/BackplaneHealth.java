package dev.switchboard.spi;

/**
 * A backplane's state as reported by {@code GET /health}.
 *
 * @param up true when the backplane can publish and deliver
 * @param name the backplane's kind, e.g. {@code local}, {@code redis}
 * @param detail a short human-readable detail, possibly empty
 * @param droppedMessages how many messages this node could not publish since it started (for
 *     example during an outage of the backplane's server)
 */
public record BackplaneHealth(boolean up, String name, String detail, long droppedMessages) {

    /** @param name the backplane's kind @return a healthy state */
    public static BackplaneHealth up(String name) {
        return new BackplaneHealth(true, name, "", 0);
    }

    /** @param name the backplane's kind @param detail what is wrong @return an unhealthy state */
    public static BackplaneHealth down(String name, String detail) {
        return new BackplaneHealth(false, name, detail, 0);
    }

    /** @param dropped the count of dropped messages @return a copy carrying that count */
    public BackplaneHealth withDropped(long dropped) {
        return new BackplaneHealth(up, name, detail, dropped);
    }
}
