/**
 * The PostgreSQL backplane: {@link dev.switchboard.backplane.postgres.PostgresBackplane} (LISTEN/NOTIFY,
 * transactional publish, durable topics in tables), its options and its URI factory.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.backplane.postgres;
