/**
 * CRUD over the socket on MongoDB: {@link dev.switchboard.crud.mongo.MongoRepository} (a collection as a
 * repository, optimistic versions), {@link dev.switchboard.crud.mongo.MongoChangeFeed} (changes made by
 * any program, from a change stream) and the URI factory
 * {@link dev.switchboard.crud.mongo.MongoRepositoryFactory} ({@code mongodb://…}).
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.crud.mongo;
