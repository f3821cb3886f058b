/**
 * Implementation of the NATS backplane: subject and stream names, and the durable-topic history on JetStream.
 * Not an API; may change in any release.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.backplane.nats.internal;
