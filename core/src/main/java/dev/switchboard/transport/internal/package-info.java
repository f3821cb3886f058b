/**
 * What every transport shares, in one copy: the upgrade checks ({@link
 * dev.switchboard.transport.internal.UpgradeGate}, {@link dev.switchboard.transport.internal.OriginCheck}),
 * the handshake's shape, the refusal's answer, the serial invoker and the registry of open sessions.
 * Used by the Jetty transport and the Spring Boot starter; not an API: it may change in any release.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.transport.internal;
