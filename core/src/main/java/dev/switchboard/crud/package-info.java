/**
 * CRUD over the socket: the Repository SPI, the in-memory repository, queries, pages, change events
 * and change feeds.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.crud;
