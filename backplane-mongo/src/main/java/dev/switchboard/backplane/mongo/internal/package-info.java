/**
 * The MongoDB backplane's machinery (publisher thread, resumable change stream, history store, URI
 * parsing); not API, may change in any release. Also used by {@code dev.switchboard.crud.mongo}.
 */
package dev.switchboard.backplane.mongo.internal;
