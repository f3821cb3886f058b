/**
 * Collections in PostgreSQL: {@link dev.switchboard.crud.postgres.PostgresRepository} (a JSONB table),
 * {@link dev.switchboard.crud.postgres.PostgresChangeFeed} (a NOTIFY trigger on a table) and their URI
 * factory.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.crud.postgres;
