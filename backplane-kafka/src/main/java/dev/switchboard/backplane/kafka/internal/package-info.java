/**
 * Implementation of the Kafka event source and backplane: record classification, the consumer loops, topic
 * names and the history log. Not an API; may change in any release.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.backplane.kafka.internal;
