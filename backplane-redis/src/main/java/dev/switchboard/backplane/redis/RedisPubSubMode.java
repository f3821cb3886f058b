package dev.switchboard.backplane.redis;

/**
 * Which pub/sub commands a {@link RedisBackplane} uses on Redis Cluster. Standalone and Sentinel
 * deployments always use classic pub/sub (there, sharded pub/sub would gain nothing).
 *
 * <p>Every node of one Switchboard cluster must end up in the same mode: a message sent with
 * {@code SPUBLISH} never reaches a {@code SUBSCRIBE}r. Pin the mode ({@link #SHARDED} or
 * {@link #CLASSIC}) while a cluster is being upgraded from Redis 6 to 7.
 */
public enum RedisPubSubMode {
    /** Sharded on Redis Cluster 7 or newer, classic otherwise; decided at each node's first connection. */
    AUTO,
    /** {@code PUBLISH} / {@code SUBSCRIBE}: on Redis Cluster every message crosses the whole cluster bus. */
    CLASSIC,
    /** {@code SPUBLISH} / {@code SSUBSCRIBE} (Redis 7+ Cluster): messages stay within one shard. */
    SHARDED
}
