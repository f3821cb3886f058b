/**
 * The Postgres repository's and change feed's workings: table and trigger DDL, LIST translation to
 * parameterised SQL, item mapping. Not API: may change in any release.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.crud.postgres.internal;
