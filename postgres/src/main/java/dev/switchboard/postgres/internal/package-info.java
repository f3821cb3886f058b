/**
 * What the Postgres backplane and the Postgres repository and change feed share: URI parsing
 * ({@code postgres://}, {@code postgresql://}, {@code jdbc:postgresql:}), the pgjdbc endpoint, the
 * HikariCP pool used when the application gives no {@code DataSource}, the LISTEN loop on a dedicated
 * connection, identifier quoting and channel names, the DDL advisory lock and small JDBC helpers. Not API:
 * may change in any release. Used by {@code dev.switchboard.backplane.postgres} and
 * {@code dev.switchboard.crud.postgres}, which do not reach into each other's internals.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.postgres.internal;
