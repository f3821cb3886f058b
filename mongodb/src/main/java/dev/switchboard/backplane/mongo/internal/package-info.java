/**
 * The MongoDB backplane's own workings (the messages collection and its documents, the durable-topic
 * history store); what it shares with the repository (URIs, clients, the resumable change stream) is in
 * {@code dev.switchboard.mongodb.internal}. Not API: may change in any release.
 */
package dev.switchboard.backplane.mongo.internal;
