/**
 * The Postgres backplane's own workings: payload encoding, attachments, the batch notifier, the
 * durable-topic history and the backplane's schema. What it shares with the repository (connections,
 * the LISTEN loop, URIs) is in {@code dev.switchboard.postgres.internal}. Not API: may change in any
 * release.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.backplane.postgres.internal;
