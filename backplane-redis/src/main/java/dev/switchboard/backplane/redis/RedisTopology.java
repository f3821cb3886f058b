package dev.switchboard.backplane.redis;

/**
 * How the Redis deployment behind a {@link RedisBackplane} is organised, chosen by the URI scheme (see
 * {@link RedisBackplaneOptions#of(String)}).
 */
public enum RedisTopology {
    /** One server ({@code redis://}, {@code rediss://}), possibly behind a proxy or a managed endpoint. */
    STANDALONE,
    /**
     * A master found through Redis Sentinel ({@code redis-sentinel://}, {@code rediss-sentinel://}); the
     * backplane follows failovers.
     */
    SENTINEL,
    /** Redis Cluster ({@code redis-cluster://}, {@code rediss-cluster://}); see {@link RedisPubSubMode}. */
    CLUSTER
}
