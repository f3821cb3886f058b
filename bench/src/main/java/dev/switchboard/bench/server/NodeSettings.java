package dev.switchboard.bench.server;

import dev.switchboard.Retention;
import dev.switchboard.bench.Args;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a bench node needs beyond the fan-out benchmarks, for the chaos soak: its node id, the durable
 * topics it declares, which topics clients may {@code subscribe} to, its outbound queue bound and its
 * heartbeat. Immutable.
 *
 * <p>Command-line form (see {@link #parse(Args)}): {@code --node-id n1} (with several nodes in one JVM
 * node i gets {@code n1-i}), {@code --durable 'chaos.d.*=200,chaos.lv.*=last'} (pattern = a message
 * count or {@code last} for a last-value topic), {@code --subscribe-prefix chaos.} (clients may subscribe
 * to topics starting with it; default: only the {@code join} request joins topics),
 * {@code --max-queued-bytes 65536}, {@code --heartbeat 5s}, {@code --history-check 2s} (the core's defaults
 * when absent) and {@code --reserved-threads 0} (Jetty's idle threads ready for the next read; Jetty's choice
 * when absent).
 *
 * @param nodeId the node id, or null for {@code bench-<random>-<i>} (unique per process start)
 * @param durable durable topic patterns and their retention, in declaration order
 * @param subscribePrefix the prefix clients may subscribe to, or null for none
 * @param maxQueuedBytes the outbound queue bound per connection, or 0 for the core's default (1 MiB)
 * @param heartbeat the ping period, or null for the core's default (25 s)
 * @param historyCheck how long a durable topic may stay silent before the node reads its history's latest
 *     offset (filling a tail whose envelope it missed), or null for the core's default (30 s)
 * @param reservedThreads Jetty's reserved threads ({@code JettyTransportOptions.reservedThreads}), -1 for
 *     Jetty's choice
 */
public record NodeSettings(String nodeId, Map<String, Retention> durable, String subscribePrefix,
                           long maxQueuedBytes, Duration heartbeat, Duration historyCheck,
                           int reservedThreads) {

    /** Copies the map; validates the bound. */
    public NodeSettings {
        durable = Map.copyOf(Objects.requireNonNull(durable, "durable"));
        if (maxQueuedBytes < 0) {
            throw new IllegalArgumentException("maxQueuedBytes must be >= 0: " + maxQueuedBytes);
        }
    }

    /** @return the settings of the fan-out benchmarks: nothing durable, no client subscriptions */
    public static NodeSettings defaults() {
        return new NodeSettings(null, Map.of(), null, 0, null, null, -1);
    }

    /**
     * @param args the command line
     * @return the settings it names
     * @throws IllegalArgumentException for a malformed {@code --durable}
     */
    public static NodeSettings parse(Args args) {
        String id = args.string("node-id", null);
        Map<String, Retention> durable = durable(args.string("durable", ""));
        String prefix = args.string("subscribe-prefix", null);
        long queued = args.integer("max-queued-bytes", 0);
        Duration heartbeat = args.duration("heartbeat", null);
        Duration historyCheck = args.duration("history-check", null);
        int reserved = args.integer("reserved-threads", -1);
        return new NodeSettings(id, durable, prefix, queued, heartbeat, historyCheck, reserved);
    }

    /**
     * @param spec {@code pattern=count|last} pairs separated by commas
     * @return the patterns and their retention, in order
     */
    public static Map<String, Retention> durable(String spec) {
        Map<String, Retention> out = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--durable wants pattern=count or pattern=last, got " + part);
            }
            String value = part.substring(eq + 1).trim();
            try {
                out.put(part.substring(0, eq).trim(), value.equals("last") ? Retention.lastValue()
                        : Retention.lastMessages(Integer.parseInt(value)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--durable count must be an integer or last: " + part, e);
            }
        }
        return out;
    }

    /** @return the command-line arguments that give these settings to a node process */
    public java.util.List<String> toArgs() {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (nodeId != null) {
            out.addAll(java.util.List.of("--node-id", nodeId));
        }
        if (!durable.isEmpty()) {
            StringBuilder s = new StringBuilder();
            durable.forEach((p, r) -> s.append(s.length() == 0 ? "" : ",").append(p).append('=')
                    .append(r.isLastValue() ? "last" : Integer.toString(r.maxMessages())));
            out.addAll(java.util.List.of("--durable", s.toString()));
        }
        if (subscribePrefix != null) {
            out.addAll(java.util.List.of("--subscribe-prefix", subscribePrefix));
        }
        if (maxQueuedBytes > 0) {
            out.addAll(java.util.List.of("--max-queued-bytes", Long.toString(maxQueuedBytes)));
        }
        if (heartbeat != null) {
            out.addAll(java.util.List.of("--heartbeat", heartbeat.toMillis() + "ms"));
        }
        if (historyCheck != null) {
            out.addAll(java.util.List.of("--history-check", historyCheck.toMillis() + "ms"));
        }
        if (reservedThreads != -1) {
            out.addAll(java.util.List.of("--reserved-threads", Integer.toString(reservedThreads)));
        }
        return out;
    }
}
