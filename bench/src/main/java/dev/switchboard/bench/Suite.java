package dev.switchboard.bench;

import dev.switchboard.bench.generator.Figures;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side suite: the same scenarios against Switchboard, Socket.IO and bare Jetty, the servers
 * taking turns run after run (run r starts with server r mod n), then ONE table of medians with the
 * ratios first. The servers must be running; {@code bench/run-suite.sh} starts them pinned to one core.
 *
 * <pre>
 * Bench suite --switchboard ws://127.0.0.1:8700/ws --baseline ws://127.0.0.1:8710/ws \
 *     --socketio 'ws://127.0.0.1:8720/socket.io/?EIO=4&amp;transport=websocket' --runs 3
 * </pre>
 *
 * <p>Options: {@code --switchboard}, {@code --socketio}, {@code --baseline}: a server's endpoint, or a
 * comma-separated list of its nodes' endpoints (the publisher uses the first; receivers spread over the
 * first N for {@code --nodes N}); {@code --switchboard-crossnode}, {@code --socketio-crossnode}: two
 * endpoints, publisher on the first node, receivers on the second; {@code --scenarios} (default
 * {@code rpc,paced,fanout,connections,crossnode}); {@code --runs} (3); {@code --receivers} (1000, or a
 * comma-separated list for the scale table); {@code --nodes} (1, or a list such as {@code 1,2,3});
 * {@code --clients} (50); {@code --connections} (10000); {@code --rate} (50 msg/s for the paced fanout
 * and crossnode); {@code --delivery-rate} (none: when set, the paced fanout publishes this many deliveries
 * per second in all, {@code rate = delivery-rate ÷ receivers}, so that a scale table compares the same load
 * for 100 and for 10,000 receivers); {@code --duration} (10s); {@code --crossnode-duration} (30s: a paced
 * crossnode run carries 50 messages a second, so in 10 s its p99 is decided by two or three stalls);
 * {@code --warmup} (3s); {@code --hold} (5s);
 * {@code --prime} (0s: before the first measured run, each server gets an unmeasured rpc and flat-out fanout
 * run this long, and each crossnode pair a paced crossnode run, so that every runtime's JIT — the JVM's C2,
 * V8's TurboFan — is warm before anything is measured, not only in the runs after the first);
 * {@code --out} (a file the lines and the table are also written to).
 */
public final class Suite {
    private static final List<String> SERVERS = List.of("switchboard", "socketio", "baseline");
    private static final Map<String, String> LABELS = Map.of("switchboard", "Switchboard", "socketio", "Socket.IO",
            "baseline", "bare Jetty");

    /** One figure of one scenario in the table: its label and which way is better. */
    private record Row(String key, String scenario, String figure, String label, boolean higherIsBetter,
                       boolean firstRunOnly) { }

    private final Map<String, List<String>> targets = new LinkedHashMap<>();
    private final Map<String, List<String>> crossnode = new LinkedHashMap<>();
    private final List<String> scenarios;
    private final int runs;
    private final List<Integer> receivers;
    private final List<Integer> nodes;
    private final int clients;
    private final int connections;
    private final String rate;
    private final int deliveryRate;
    private final String duration;
    private final String crossnodeDuration;
    private final String warmup;
    private final String hold;
    private final String prime;
    private final PrintStream out;
    private final StringBuilder log = new StringBuilder();
    private final List<Row> rows = new ArrayList<>();
    /** Row key → server → the figure of each run. */
    private final Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();

    private Suite(Args args, PrintStream out) {
        this.out = out;
        for (String s : SERVERS) {
            String urls = args.string(s, null);
            if (urls != null) {
                targets.put(s, List.of(urls.split(",")));
            }
            String pair = s.equals("baseline") ? null : args.string(s + "-crossnode", null);
            if (pair != null) {
                List<String> p = List.of(pair.split(","));
                if (p.size() != 2) {
                    throw new IllegalArgumentException("--" + s + "-crossnode needs two endpoints: A,B");
                }
                crossnode.put(s, p);
            }
        }
        scenarios = List.of(args.string("scenarios", "rpc,paced,fanout,connections,crossnode").split(","));
        for (String sc : scenarios) {
            if (!List.of("rpc", "paced", "fanout", "connections", "crossnode").contains(sc)) {
                throw new IllegalArgumentException("unknown scenario " + sc + " (rpc, paced, fanout, connections, crossnode)");
            }
        }
        runs = args.integer("runs", 3);
        receivers = integers(args.string("receivers", "1000"));
        nodes = integers(args.string("nodes", "1"));
        clients = args.integer("clients", 50);
        connections = args.integer("connections", 10_000);
        rate = args.string("rate", "50");
        deliveryRate = args.integer("delivery-rate", 0);
        duration = args.string("duration", "10s");
        crossnodeDuration = args.string("crossnode-duration", "30s");
        warmup = args.string("warmup", "3s");
        hold = args.string("hold", "5s");
        prime = args.string("prime", "0s");
        Args.parseDuration("prime", prime);
        Args.parseDuration("duration", duration);
        Args.parseDuration("crossnode-duration", crossnodeDuration);
        Args.parseDuration("warmup", warmup);
        Args.parseDuration("hold", hold);
        if (targets.isEmpty() && crossnode.isEmpty()) {
            throw new IllegalArgumentException("name at least one server: --switchboard, --socketio, --baseline");
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be >= 1");
        }
    }

    private static List<Integer> integers(String list) {
        List<Integer> out = new ArrayList<>();
        for (String v : list.split(",")) {
            try {
                out.add(Integer.parseInt(v.trim().replace("_", "")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number: " + v);
            }
        }
        return out;
    }

    /**
     * Runs the suite and prints each run's line, then the table.
     *
     * @param argv the options (see the class comment)
     * @param out where to print
     * @return the table (markdown)
     * @throws InterruptedException when interrupted
     * @throws IllegalArgumentException for a bad option
     */
    public static String run(String[] argv, PrintStream out) throws InterruptedException {
        Args args = new Args(argv);
        String file = args.string("out", null);
        Suite s = new Suite(args, out);
        args.requireAllUsed();
        String table = s.run();
        if (file != null) {
            try {
                Files.writeString(Path.of(file), s.log + "\n" + table, StandardCharsets.UTF_8);
            } catch (IOException e) {
                out.println("# cannot write " + file + ": " + e);
            }
        }
        return table;
    }

    private String run() throws InterruptedException {
        line("# suite: runs=" + runs + " receivers=" + receivers + " nodes=" + nodes + " clients=" + clients
                + " connections=" + connections + " rate=" + rate + " duration=" + duration
                + (scenarios.contains("crossnode") ? " crossnode-duration=" + crossnodeDuration : "") + " warmup=" + warmup
                + " cpus=" + Runtime.getRuntime().availableProcessors() + " java=" + Runtime.version()
                + " prime=" + prime);
        prime();
        for (String scenario : scenarios) {
            switch (scenario) {
                case "rpc" -> measure(targets, row("rpc", "rpc", "calls_per_s",
                        "rpc, " + clients + " clients, sequential echo: calls/s", true),
                        row("rpc", "rpc", "p99_ms", "rpc: p99 ms", false));
                case "fanout" -> {
                    for (int n : nodes) {
                        for (int c : receivers) {
                            String k = "fanout/" + c + "/" + n;
                            String where = where(n);
                            measure(nodes(n), c, "0", row(k, "fanout", "delivered_per_s",
                                    "fanout to " + fmt(c) + where + ", flat out: deliveries/s", true),
                                    row(k, "fanout", "srv_us_per_delivery",
                                            "same: server CPU µs per delivery", false));
                        }
                    }
                }
                case "paced" -> {
                    for (int n : nodes) {
                        for (int c : receivers) {
                            String k = "paced/" + c + "/" + n;
                            String where = where(n);
                            String paced = deliveryRate > 0 ? Integer.toString(Math.max(1, deliveryRate / c)) : rate;
                            measure(nodes(n), c, paced, row(k, "fanout", "p99_ms",
                                    "fanout to " + fmt(c) + where + ", " + paced + " msg/s: end-to-end p99 ms", false),
                                    row(k, "fanout", "p50_ms", "same: end-to-end p50 ms", false),
                                    row(k, "fanout", "ack_p99_ms", "same: publisher's ack p99 ms", false));
                        }
                    }
                }
                case "connections" -> measure(targets, row("connections", "connections", "connects_per_s",
                        fmt(connections) + " idle connections: connects/s", true),
                        // Later runs reuse the buffers Jetty's pool kept from the previous run's connections, so
                        // only a fresh server's first run shows what a connection costs.
                        freshRow(row("connections", "connections", "heap_per_conn_kib",
                                "same: heap KiB per connection (first run, fresh server)", false)),
                        row("connections", "connections", "rss_per_conn_kib", "same: RSS KiB per connection", false));
                case "crossnode" -> {
                    for (int c : receivers) {
                        measure(crossnode, c, rate, row("crossnode/" + c, "crossnode", "p99_ms",
                                "crossnode, " + fmt(c) + " receivers on node B, " + rate + " msg/s: p99 ms", false),
                                row("crossnode/" + c, "crossnode", "ack_p99_ms", "same: publisher's ack p99 ms",
                                        false));
                    }
                }
                default -> throw new IllegalArgumentException("unknown scenario " + scenario
                        + " (rpc, paced, fanout, connections, crossnode)");
            }
        }
        String table = table();
        line("");
        line(table);
        return table;
    }

    /** The unmeasured runs of {@code --prime}: each server's JIT warm before the first measured run. */
    private void prime() throws InterruptedException {
        if (Args.parseDuration("prime", prime).isZero()) {
            return;
        }
        List<String> timing = List.of("--duration", prime, "--warmup", "0s");
        for (Map.Entry<String, List<String>> t : targets.entrySet()) {
            List<String> rpc = new ArrayList<>(timing);
            rpc.addAll(List.of("--url", String.join(",", t.getValue()), "--clients", Integer.toString(clients)));
            line("# prime " + t.getKey() + ": " + Bench.run("rpc", rpc.toArray(new String[0])).line());
            List<String> fanout = new ArrayList<>(timing);
            fanout.addAll(List.of("--publish-url", t.getValue().get(0), "--url", t.getValue().get(0),
                    "--receivers", Integer.toString(receivers.get(0)), "--rate", "0"));
            line("# prime " + t.getKey() + ": " + Bench.run("fanout", fanout.toArray(new String[0])).line());
        }
        if (scenarios.contains("crossnode")) {
            for (Map.Entry<String, List<String>> t : crossnode.entrySet()) {
                List<String> cross = new ArrayList<>(timing);
                cross.addAll(List.of("--publish-url", t.getValue().get(0), "--url", t.getValue().get(1),
                        "--receivers", Integer.toString(receivers.get(0)), "--rate", rate));
                line("# prime " + t.getKey() + " crossnode: "
                        + Bench.run("crossnode", cross.toArray(new String[0])).line());
            }
        }
    }

    /** @return how a row names its node count: nothing when the suite runs single nodes only */
    private String where(int n) {
        return nodes.size() == 1 && n == 1 ? "" : ", " + n + (n == 1 ? " node" : " nodes");
    }

    private Row row(String key, String scenario, String figure, String label, boolean higher) {
        Row r = new Row(key, scenario, figure, label, higher, false);
        rows.add(r);
        return r;
    }

    /** @return the row, counting only each server's first run */
    private Row freshRow(Row r) {
        Row fresh = new Row(r.key(), r.scenario(), r.figure(), r.label(), r.higherIsBetter(), true);
        rows.set(rows.indexOf(r), fresh);
        return fresh;
    }

    /** @return each server's first n nodes, for servers that have that many */
    private Map<String, List<String>> nodes(int n) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        targets.forEach((server, urls) -> {
            if (urls.size() >= n) {
                out.put(server, urls.subList(0, n));
            }
        });
        return out;
    }

    private void measure(Map<String, List<String>> servers, Row... figures) throws InterruptedException {
        measure(servers, 0, null, figures);
    }

    /** Runs one scenario {@link #runs} times per server, the servers taking turns. */
    private void measure(Map<String, List<String>> servers, int c, String atRate, Row... figures)
            throws InterruptedException {
        List<String> names = new ArrayList<>(servers.keySet());
        if (names.isEmpty()) {
            return;
        }
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < names.size(); i++) {
                String server = names.get((r + i) % names.size());
                Figures f = Bench.run(figures[0].scenario(), args(figures[0].scenario(), servers.get(server), c, atRate));
                line("# " + server + " run " + (r + 1) + ": " + f.line());
                for (Row row : figures) {
                    if (row.firstRunOnly() && r > 0) {
                        continue;
                    }
                    results.computeIfAbsent(row.key() + "|" + row.figure(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(server, k -> new ArrayList<>()).add(f.number(row.figure()));
                }
            }
        }
    }

    private String[] args(String scenario, List<String> urls, int c, String atRate) {
        List<String> a = new ArrayList<>(List.of("--duration", scenario.equals("crossnode") ? crossnodeDuration : duration,
                "--warmup", warmup));
        switch (scenario) {
            case "rpc" -> a.addAll(List.of("--url", String.join(",", urls), "--clients", Integer.toString(clients)));
            case "connections" -> a.addAll(List.of("--url", String.join(",", urls),
                    "--connections", Integer.toString(connections), "--hold", hold));
            case "crossnode" -> a.addAll(List.of("--publish-url", urls.get(0), "--url", urls.get(1),
                    "--receivers", Integer.toString(c), "--rate", atRate));
            default -> a.addAll(List.of("--publish-url", urls.get(0), "--url", String.join(",", urls),
                    "--receivers", Integer.toString(c), "--rate", atRate));
        }
        if (scenario.equals("connections")) {
            a.subList(0, 4).clear(); // connections has no duration or warm-up
        }
        return a.toArray(new String[0]);
    }

    private String table() {
        List<String> present = SERVERS.stream().filter(s -> results.values().stream().anyMatch(m -> m.containsKey(s)))
                .toList();
        List<String> others = present.stream().filter(s -> !s.equals("switchboard")).toList();
        StringBuilder b = new StringBuilder();
        b.append("| figure |");
        for (String o : others) {
            b.append(" Switchboard ÷ ").append(LABELS.get(o)).append(" |");
        }
        for (String s : present) {
            b.append(' ').append(LABELS.get(s)).append(" |");
        }
        b.append("\n|---|").append("---|".repeat(others.size() + present.size())).append('\n');
        for (Row row : rows) {
            Map<String, List<Double>> byServer = results.get(row.key() + "|" + row.figure());
            if (byServer == null) {
                continue;
            }
            b.append("| ").append(row.label()).append(row.higherIsBetter() ? " ↑" : " ↓").append(" |");
            Double mine = median(byServer.get("switchboard"));
            for (String o : others) {
                Double theirs = median(byServer.get(o));
                b.append(' ').append(mine == null || theirs == null || theirs == 0 ? "—"
                        : String.format(Locale.ROOT, "%.2f×", mine / theirs)).append(" |");
            }
            for (String s : present) {
                b.append(' ').append(cell(byServer.get(s))).append(" |");
            }
            b.append('\n');
        }
        b.append("\n↑ higher is better, ↓ lower is better; median of ").append(runs)
                .append(" alternating run(s), (min–max) after it.\n");
        return b.toString();
    }

    private static Double median(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return null;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String cell(List<Double> values) {
        Double m = median(values);
        if (m == null) {
            return "—";
        }
        if (values.size() == 1) {
            return num(m);
        }
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(m);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(m);
        return num(m) + " (" + num(min) + "–" + num(max) + ")";
    }

    private static String num(double v) {
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }

    private static String fmt(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private void line(String s) {
        out.println(s);
        log.append(s).append('\n');
    }
}
