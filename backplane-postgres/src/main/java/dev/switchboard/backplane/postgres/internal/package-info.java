/**
 * The Postgres backplane's workings: the LISTEN loop, the publisher, payload encoding, attachments,
 * the durable-topic history, schema DDL, a small connection pool and URI parsing. Not API: may change in
 * any release. The {@code dev.switchboard.crud.postgres} package uses some of it.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.backplane.postgres.internal;
