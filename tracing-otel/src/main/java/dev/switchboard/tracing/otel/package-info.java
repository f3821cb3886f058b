/**
 * OpenTelemetry for Switchboard: {@link dev.switchboard.tracing.otel.OtelTracing} binds a node's
 * {@link dev.switchboard.spi.Tracing} hook to an {@code OpenTelemetry} instance. Nothing here is {@code null}
 * unless documented.
 */
package dev.switchboard.tracing.otel;
