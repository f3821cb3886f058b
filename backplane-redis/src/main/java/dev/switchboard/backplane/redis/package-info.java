/**
 * The Redis backplane: {@link dev.switchboard.backplane.redis.RedisBackplane} (pub/sub between the nodes of a
 * Switchboard cluster, durable-topic history on Redis Streams) and its options. Standalone, Sentinel and
 * Cluster deployments; Lettuce underneath.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.backplane.redis;
