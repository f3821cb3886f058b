package dev.switchboard.backplane.redis.internal;

import dev.switchboard.backplane.redis.RedisBackplaneOptions;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import dev.switchboard.spi.ReconnectBackoff;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Translates {@link RedisBackplaneOptions} into Lettuce's settings. */
final class LettuceConfig {

    private LettuceConfig() {
    }

    /** @param o the options @return Lettuce's reconnect delays, from the core's one backoff */
    static Delay reconnectDelay(RedisBackplaneOptions o) {
        ReconnectBackoff backoff = ReconnectBackoff.of(o.backplane());
        return new Delay() {
            @Override
            public Duration createDelay(long attempt) {
                return Duration.ofMillis(backoff.delayMillis((int) Math.min(Math.max(attempt - 1, 0), 30)));
            }
        };
    }

    /** @param o the options @return one backplane's own event loops and timers */
    static ClientResources resources(RedisBackplaneOptions o) {
        return DefaultClientResources.builder().reconnectDelay(reconnectDelay(o)).build();
    }

    /**
     * Fail fast: commands are rejected while disconnected instead of being buffered without bound, at most
     * {@code maxPendingCommands} may await an answer, and every command has a timeout (publishes their own).
     *
     * @param o the options
     * @return client options for standalone and Sentinel
     */
    static ClientOptions clientOptions(RedisBackplaneOptions o) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(o.maxPendingCommands())
                .socketOptions(socketOptions(o))
                .timeoutOptions(timeoutOptions(o))
                .build();
    }

    /** @param o the options @return the same, for Redis Cluster, plus topology refresh */
    static ClusterClientOptions clusterClientOptions(RedisBackplaneOptions o) {
        return ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(o.maxPendingCommands())
                .socketOptions(socketOptions(o))
                .timeoutOptions(timeoutOptions(o))
                // Adaptive refresh (MOVED, ASK, persistent reconnects, uncovered slots) is on by default in
                // Lettuce 7; the periodic refresh also finds failovers that no command has run into yet.
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(10))
                        .build())
                .build();
    }

    private static SocketOptions socketOptions(RedisBackplaneOptions o) {
        // Keep-alive finds a peer that vanished without closing the socket (the probes find it too).
        return SocketOptions.builder().connectTimeout(o.connectTimeout()).tcpNoDelay(true)
                .keepAlive(SocketOptions.KeepAliveOptions.builder().enable().idle(Duration.ofSeconds(15))
                        .interval(Duration.ofSeconds(5)).count(3).build())
                .build();
    }

    private static TimeoutOptions timeoutOptions(RedisBackplaneOptions o) {
        long publishMs = o.publishTimeout().toMillis();
        long commandMs = o.commandTimeout().toMillis();
        return TimeoutOptions.builder().timeoutCommands(true).timeoutSource(new TimeoutOptions.TimeoutSource() {
            @Override
            public long getTimeout(RedisCommand<?, ?, ?> command) {
                ProtocolKeyword type = command.getType();
                return type == CommandType.PUBLISH || type == CommandType.SPUBLISH ? publishMs : commandMs;
            }

            @Override
            public TimeUnit getTimeUnit() {
                return TimeUnit.MILLISECONDS;
            }
        }).build();
    }

    /**
     * @param o the options
     * @param clientName the name the connections give themselves ({@code CLIENT SETNAME})
     * @return the standalone or Sentinel URI
     */
    static RedisURI uri(RedisBackplaneOptions o, String clientName) {
        RedisUris.HostAndPort first = RedisUris.parseHostAndPort(o.hosts().get(0));
        RedisURI.Builder b;
        if (o.sentinelMasterId() != null && o.topology() == dev.switchboard.backplane.redis.RedisTopology.SENTINEL) {
            b = RedisURI.Builder.sentinel(first.host(), first.port(), o.sentinelMasterId());
            for (String h : o.hosts().subList(1, o.hosts().size())) {
                RedisUris.HostAndPort hp = RedisUris.parseHostAndPort(h);
                b.withSentinel(hp.host(), hp.port());
            }
        } else {
            b = RedisURI.Builder.redis(first.host(), first.port());
        }
        return finish(b, o, clientName).withDatabase(o.database()).build();
    }

    /**
     * @param o the options
     * @param clientName the connections' name
     * @return the cluster's seed URIs
     */
    static List<RedisURI> clusterUris(RedisBackplaneOptions o, String clientName) {
        List<RedisURI> uris = new ArrayList<>();
        for (String h : o.hosts()) {
            RedisUris.HostAndPort hp = RedisUris.parseHostAndPort(h);
            uris.add(finish(RedisURI.Builder.redis(hp.host(), hp.port()), o, clientName).build());
        }
        return uris;
    }

    private static RedisURI.Builder finish(RedisURI.Builder b, RedisBackplaneOptions o, String clientName) {
        b.withSsl(o.tls()).withTimeout(o.commandTimeout()).withClientName(clientName);
        if (o.password() != null) {
            if (o.username() != null) {
                b.withAuthentication(o.username(), o.password());
            } else {
                b.withPassword(o.password().toCharArray());
            }
        }
        return b;
    }
}
