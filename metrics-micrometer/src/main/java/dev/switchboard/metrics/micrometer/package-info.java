/**
 * Switchboard's observability hook bound to Micrometer: {@link dev.switchboard.metrics.micrometer.SwitchboardMetrics}.
 */
package dev.switchboard.metrics.micrometer;
