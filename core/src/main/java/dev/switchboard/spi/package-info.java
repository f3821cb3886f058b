/**
 * Extension contracts: transports, backplanes, authentication and subscription policy.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.spi;
