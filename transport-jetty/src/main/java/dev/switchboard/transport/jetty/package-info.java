/**
 * The Jetty transport: an embedded Jetty 12.1 server ({@link dev.switchboard.transport.jetty.JettyTransport},
 * {@link dev.switchboard.transport.jetty.JettyTransportOptions}) and the Jakarta WebSocket pieces to mount
 * Switchboard in a host application's own container
 * ({@link dev.switchboard.transport.jetty.SwitchboardEndpointConfig},
 * {@link dev.switchboard.transport.jetty.SwitchboardEndpoint},
 * {@link dev.switchboard.transport.jetty.SwitchboardUpgradeFilter}).
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.transport.jetty;
