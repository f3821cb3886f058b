/**
 * What the MongoDB backplane and the MongoDB repository and change feed share: URI parsing (the
 * driver's connection string apart from Switchboard's settings), client creation with Switchboard's
 * defaults, and the resumable change stream with its error classification. Not API: may change in any
 * release. Used by {@code dev.switchboard.backplane.mongo} and {@code dev.switchboard.crud.mongo}, which
 * do not reach into each other's internals.
 */
package dev.switchboard.mongodb.internal;
