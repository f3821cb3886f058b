/**
 * Mapping between CRUD items and MongoDB documents and queries; not API, may change in any release.
 */
package dev.switchboard.crud.mongo.internal;
