package dev.switchboard.backplane.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A Redis Cluster of three masters (no replicas) started by a test: three {@code redis-server} processes
 * with {@code cluster-enabled}, slots split in three ranges with {@code CLUSTER ADDSLOTS}, joined with
 * {@code CLUSTER MEET}. The nodes keep their cluster configuration in files, so after all of them are
 * killed and started again they form the same cluster (empty: there is no persistence).
 */
final class RedisClusterProcesses implements AutoCloseable {
    private final List<RedisProcess> nodes = new ArrayList<>();

    RedisClusterProcesses(RedisBinary binary, Path dir) {
        for (int i = 0; i < 3; i++) {
            int port = RedisProcess.freePort();
            nodes.add(new RedisProcess(binary, port, dir, "--cluster-enabled", "yes", "--cluster-config-file",
                    "nodes-" + port + ".conf", "--cluster-node-timeout", "2000"));
        }
    }

    /** Starts the processes, assigns the slots, joins the nodes and waits until the cluster is ok. */
    RedisClusterProcesses create() {
        nodes.forEach(RedisProcess::start);
        RedisClient client = RedisClient.create();
        try {
            List<StatefulRedisConnection<String, String>> conns = new ArrayList<>();
            for (RedisProcess n : nodes) {
                conns.add(client.connect(RedisURI.create(n.uri())));
            }
            int per = 16384 / nodes.size();
            for (int i = 0; i < nodes.size(); i++) {
                int from = i * per;
                int to = i == nodes.size() - 1 ? 16383 : (i + 1) * per - 1;
                conns.get(i).sync().clusterAddSlots(IntStream.rangeClosed(from, to).toArray());
            }
            for (int i = 1; i < nodes.size(); i++) {
                conns.get(0).sync().clusterMeet("127.0.0.1", nodes.get(i).port());
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        awaitOk();
        return this;
    }

    /** @return a {@code redis-cluster://} URI naming every node as a seed */
    String uri() {
        return "redis-cluster://" + nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    List<RedisProcess> nodes() {
        return nodes;
    }

    /** Kills every node (SIGKILL). */
    void killAll() {
        nodes.forEach(RedisProcess::kill);
    }

    /** Starts every node again and waits until the cluster is ok. */
    void startAll() {
        nodes.forEach(RedisProcess::start);
        awaitOk();
    }

    /** Waits until every node reports {@code cluster_state:ok} and knows all three masters. */
    void awaitOk() {
        RedisClient client = RedisClient.create();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!allOk(client)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the test's Redis Cluster did not become ok");
                }
                try {
                    Thread.sleep(50); // polling a server's state: there is no event to wait on
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private boolean allOk(RedisClient client) {
        for (RedisProcess n : nodes) {
            try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.create(n.uri()))) {
                RedisCommands<String, String> sync = c.sync();
                if (!sync.clusterInfo().contains("cluster_state:ok")
                        || sync.clusterNodes().lines().filter(l -> l.contains("master")).count() != nodes.size()) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        killAll();
    }
}
