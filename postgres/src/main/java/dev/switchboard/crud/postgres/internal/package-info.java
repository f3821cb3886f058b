/**
 * The Postgres repository's and change feed's own workings: table and trigger DDL, LIST translation to
 * parameterised SQL, item mapping. What they share with the backplane (connections, the LISTEN loop,
 * URIs) is in {@code dev.switchboard.postgres.internal}. Not API: may change in any release.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.crud.postgres.internal;
