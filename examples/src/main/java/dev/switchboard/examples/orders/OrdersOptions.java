package dev.switchboard.examples.orders;

import java.time.Duration;
import java.util.Objects;

/**
 * The orders example's own settings, next to the common ones ({@code port}, {@code backplane},
 * {@code repository}): each from a system property ({@code -DstepDelayMs=…}), else an environment
 * variable ({@code STEP_DELAY_MS}), else the default.
 *
 * @param stepDelay how long each simulated workflow step takes (default 1.5 s; {@code stepDelayMs})
 * @param failureRate the share of orders whose payment is declined, 0 to 1 (default 0.25; {@code failureRate})
 * @param emitKeys the emit API's keys, {@code name=key,…} (default one demo key; {@code emitKeys} /
 *     {@code EMIT_API_KEYS})
 */
public record OrdersOptions(Duration stepDelay, double failureRate, String emitKeys) {

    /** The demo key of the emit API when none is configured: printed at start, never for production. */
    public static final String DEMO_KEY = "orders-demo-key-change-me";

    /** Validates. */
    public OrdersOptions {
        Objects.requireNonNull(stepDelay, "stepDelay");
        if (stepDelay.isNegative()) {
            throw new IllegalArgumentException("stepDelay must not be negative");
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failureRate must be between 0 and 1: " + failureRate);
        }
        Objects.requireNonNull(emitKeys, "emitKeys");
    }

    /** @return the settings from system properties and the environment */
    public static OrdersOptions fromEnvironment() {
        return new OrdersOptions(Duration.ofMillis(Long.parseLong(setting("stepDelayMs", "STEP_DELAY_MS", "1500"))),
                Double.parseDouble(setting("failureRate", "FAILURE_RATE", "0.25")),
                setting("emitKeys", "EMIT_API_KEYS", "demo=" + DEMO_KEY));
    }

    /** @param stepDelay the step delay @param failureRate the failure share @return options with the demo key */
    public static OrdersOptions of(Duration stepDelay, double failureRate) {
        return new OrdersOptions(stepDelay, failureRate, "demo=" + DEMO_KEY);
    }

    private static String setting(String property, String env, String fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
