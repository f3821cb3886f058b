/**
 * Mapping between CRUD items and MongoDB documents and queries; what the repository shares with the
 * backplane (URIs, clients, the resumable change stream) is in {@code dev.switchboard.mongodb.internal}.
 * Not API: may change in any release.
 */
package dev.switchboard.crud.mongo.internal;
