/**
 * Implementation details of the Jetty transport; not API, may change in any release.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.transport.jetty.internal;
