package dev.switchboard.spi;

/**
 * A backplane's state as reported by {@code GET /health}.
 *
 * @param up true when the backplane can publish and deliver
 * @param name the backplane's kind, e.g. {@code local}, {@code redis}
 * @param detail a short human-readable detail, possibly empty
 */
public record BackplaneHealth(boolean up, String name, String detail) {

    /** @param name the backplane's kind @return a healthy state */
    public static BackplaneHealth up(String name) {
        return new BackplaneHealth(true, name, "");
    }

    /** @param name the backplane's kind @param detail what is wrong @return an unhealthy state */
    public static BackplaneHealth down(String name, String detail) {
        return new BackplaneHealth(false, name, detail);
    }
}
