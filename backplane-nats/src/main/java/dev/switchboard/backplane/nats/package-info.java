/**
 * The NATS backplane: {@link dev.switchboard.backplane.nats.NatsBackplane} (cluster messages on core NATS
 * subjects, durable-topic history on JetStream streams) and its options; the official jnats client underneath.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.backplane.nats;
