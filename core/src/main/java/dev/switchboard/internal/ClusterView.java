package dev.switchboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Cluster;
import dev.switchboard.ClusterAnswer;
import dev.switchboard.ConnectionInfo;
import dev.switchboard.SwitchboardException;
import dev.switchboard.ErrorCode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster membership and cluster-wide queries, over the backplane. Each node sends a heartbeat every
 * period (and at once to a node it has not heard of, so newcomers learn the cluster quickly); a node
 * unheard of for three periods is gone. A query goes to every node, each answers the asker directly;
 * the query completes when every node that was alive when it started has answered or left, or at the
 * timeout, naming the nodes it misses.
 */
final class ClusterView implements Cluster {
    private static final Logger log = LoggerFactory.getLogger(ClusterView.class);
    private static final int MISSED_HEARTBEATS = 3;

    private final java.util.function.Supplier<String> self;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final long heartbeatMillis;
    private final long queryTimeoutMillis;
    private final Consumer<ClusterMessage> broadcast;
    private final DirectSender direct;
    private final LocalAnswers local;
    private final boolean alone;
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, PendingQuery> queries = new ConcurrentHashMap<>();
    private final AtomicLong queryIds = new AtomicLong();
    private final AtomicLong rejected;
    private final java.util.function.LongSupplier untrusted;
    private volatile boolean closed;

    /** Sends a cluster message to one node. */
    interface DirectSender {
        void send(String node, ClusterMessage message);
    }

    /** This node's answers to the queries. */
    interface LocalAnswers {
        long connectionCount();

        List<ConnectionInfo> connectionsOfUser(String userId);

        List<ConnectionInfo> connectionsInTopic(String topic);
    }

    ClusterView(java.util.function.Supplier<String> self, ObjectMapper mapper, Clock clock, ScheduledExecutorService timer, long heartbeatMillis,
                long queryTimeoutMillis, boolean alone, Consumer<ClusterMessage> broadcast, DirectSender direct,
                LocalAnswers local, AtomicLong rejected, java.util.function.LongSupplier untrusted) {
        this.self = self;
        this.mapper = mapper;
        this.clock = clock;
        this.timer = timer;
        this.heartbeatMillis = heartbeatMillis;
        this.queryTimeoutMillis = queryTimeoutMillis;
        this.alone = alone;
        this.broadcast = broadcast;
        this.direct = direct;
        this.local = local;
        this.rejected = rejected;
        this.untrusted = untrusted;
    }

    /** Announces this node and starts the heartbeat. */
    void start() {
        if (alone) {
            return;
        }
        heartbeat();
        timer.scheduleAtFixedRate(this::heartbeat, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    /** Sends a heartbeat now (after this node took a fresh id). */
    void announce() {
        heartbeat();
    }

    private void heartbeat() {
        if (closed) {
            return;
        }
        try {
            broadcast.accept(new ClusterMessage.Heartbeat(nodeId(), local.connectionCount(), false));
        } catch (RuntimeException e) {
            log.debug("Heartbeat not sent: {}", e.toString());
        }
        long now = clock.millis();
        for (Map.Entry<String, Long> e : lastSeen.entrySet()) {
            if (now - e.getValue() > MISSED_HEARTBEATS * heartbeatMillis) {
                log.info("Node {} is gone: no heartbeat for {} ms", e.getKey(), now - e.getValue());
                gone(e.getKey());
            }
        }
    }

    /** Handles a cluster message of another node other than a routed one. */
    void onMessage(ClusterMessage message) {
        String from = message.from();
        if (message instanceof ClusterMessage.Heartbeat h) {
            if (h.leaving()) {
                log.info("Node {} left the cluster", from);
                gone(from);
                return;
            }
            if (lastSeen.put(from, clock.millis()) == null) {
                log.info("Node {} joined the cluster", from);
                // Tell the newcomer about us now rather than at our next heartbeat.
                direct.send(from, new ClusterMessage.Heartbeat(nodeId(), local.connectionCount(), false));
            }
        } else if (message instanceof ClusterMessage.Query q) {
            lastSeen.putIfAbsent(from, clock.millis());
            direct.send(from, new ClusterMessage.QueryReply(nodeId(), q.id(), answer(q)));
        } else if (message instanceof ClusterMessage.QueryReply r) {
            PendingQuery p = queries.get(r.id());
            if (p != null) {
                p.answered(from, r.result());
            }
        }
    }

    private void gone(String node) {
        if (lastSeen.remove(node) != null) {
            for (PendingQuery p : queries.values()) {
                p.left(node);
            }
        }
    }

    /** Says goodbye and fails the pending queries. */
    void close() {
        closed = true;
        if (!alone) {
            try {
                broadcast.accept(new ClusterMessage.Heartbeat(nodeId(), 0, true));
            } catch (RuntimeException e) {
                log.debug("Goodbye not sent: {}", e.toString());
            }
        }
        for (PendingQuery p : queries.values()) {
            p.future.completeExceptionally(new SwitchboardException(ErrorCode.UNAVAILABLE, "node closed"));
        }
    }

    // ---- Cluster ----

    @Override
    public String nodeId() {
        return self.get();
    }

    @Override
    public Set<String> nodes() {
        Set<String> all = new TreeSet<>(lastSeen.keySet());
        all.add(nodeId());
        return all;
    }

    @Override
    public long rejectedMessages() {
        return rejected.get();
    }

    @Override
    public long untrustedMessages() {
        return untrusted.getAsLong();
    }

    @Override
    public CompletableFuture<ClusterAnswer<Long>> connectionCount() {
        return query("count", null, results -> {
            long n = 0;
            for (JsonNode r : results) {
                n += r.path("count").asLong();
            }
            return n;
        });
    }

    @Override
    public CompletableFuture<ClusterAnswer<List<ConnectionInfo>>> connectionsOfUser(String userId) {
        return query("user", Objects.requireNonNull(userId, "userId"), this::connections);
    }

    @Override
    public CompletableFuture<ClusterAnswer<List<ConnectionInfo>>> connectionsInTopic(String topic) {
        return query("topic", Objects.requireNonNull(topic, "topic"), this::connections);
    }

    private List<ConnectionInfo> connections(Collection<JsonNode> results) {
        List<ConnectionInfo> out = new ArrayList<>();
        for (JsonNode r : results) {
            for (JsonNode c : r.path("connections")) {
                Set<String> topics = new HashSet<>();
                c.path("topics").forEach(t -> topics.add(t.asText()));
                out.add(new ConnectionInfo(c.path("id").asText(), c.path("node").asText(),
                        c.hasNonNull("user") ? c.get("user").asText() : null, topics));
            }
        }
        out.sort(java.util.Comparator.comparing(ConnectionInfo::node).thenComparing(ConnectionInfo::id));
        return out;
    }

    private JsonNode answer(ClusterMessage.Query q) {
        ObjectNode out = mapper.createObjectNode();
        switch (q.kind()) {
            case "count" -> out.put("count", local.connectionCount());
            case "user" -> out.set("connections", toTree(local.connectionsOfUser(q.argument())));
            case "topic" -> out.set("connections", toTree(local.connectionsInTopic(q.argument())));
            default -> out.put("error", "unknown query " + q.kind());
        }
        return out;
    }

    private ArrayNode toTree(List<ConnectionInfo> list) {
        ArrayNode arr = mapper.createArrayNode();
        for (ConnectionInfo c : list) {
            ObjectNode n = arr.addObject();
            n.put("id", c.id());
            n.put("node", c.node());
            n.put("user", c.userId());
            ArrayNode topics = n.putArray("topics");
            c.topics().forEach(topics::add);
        }
        return arr;
    }

    private <T> CompletableFuture<ClusterAnswer<T>> query(String kind, String argument,
                                                          Function<Collection<JsonNode>, T> combine) {
        if (closed) {
            return CompletableFuture.failedFuture(new SwitchboardException(ErrorCode.UNAVAILABLE, "node closed"));
        }
        String id = nodeId() + ":" + queryIds.incrementAndGet();
        JsonNode mine = answer(new ClusterMessage.Query(nodeId(), id, kind, argument));
        PendingQuery p = new PendingQuery(id, new HashSet<>(lastSeen.keySet()), mine);
        CompletableFuture<ClusterAnswer<T>> result = p.future.thenApply(
                done -> new ClusterAnswer<>(combine.apply(done.results.values()), done.results.keySet(), done.missing));
        if (p.expected.isEmpty()) {
            p.complete();
            return result;
        }
        queries.put(id, p);
        p.future.whenComplete((r, f) -> queries.remove(id));
        timer.schedule(p::complete, queryTimeoutMillis, TimeUnit.MILLISECONDS);
        try {
            broadcast.accept(new ClusterMessage.Query(nodeId(), id, kind, argument));
        } catch (RuntimeException e) {
            log.warn("Cluster query not sent ({}); answering with this node only", e.toString());
            p.complete();
        }
        return result;
    }

    /** Answers collected for one query. */
    private final class PendingQuery {
        final String id;
        final Set<String> expected;
        final Map<String, JsonNode> results = new java.util.LinkedHashMap<>();
        final Set<String> missing = new TreeSet<>();
        final CompletableFuture<PendingQuery> future = new CompletableFuture<>();

        PendingQuery(String id, Set<String> expected, JsonNode mine) {
            this.id = id;
            this.expected = expected;
            results.put(nodeId(), mine);
        }

        synchronized void answered(String node, JsonNode result) {
            if (future.isDone()) {
                return;
            }
            expected.remove(node);
            results.put(node, result);
            if (expected.isEmpty()) {
                complete();
            }
        }

        synchronized void left(String node) {
            if (expected.remove(node)) {
                missing.add(node);
                if (expected.isEmpty()) {
                    complete();
                }
            }
        }

        synchronized void complete() {
            if (future.isDone()) {
                return;
            }
            missing.addAll(expected);
            expected.clear();
            future.complete(this);
        }
    }
}
