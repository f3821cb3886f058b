/**
 * A Switchboard backplane on MongoDB change streams, with durable-topic history in MongoDB:
 * {@link dev.switchboard.backplane.mongo.MongoBackplane}, its
 * {@link dev.switchboard.backplane.mongo.MongoBackplaneOptions} and the URI factory
 * {@link dev.switchboard.backplane.mongo.MongoBackplaneFactory} ({@code mongodb://…}).
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.backplane.mongo;
