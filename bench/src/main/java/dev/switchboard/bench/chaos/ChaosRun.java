package dev.switchboard.bench.chaos;

import dev.switchboard.bench.server.NodeSettings;
import dev.switchboard.Retention;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One chaos soak, start to finish: the backplane server, a proxy per node in front of it, the node
 * processes, the clients' proxy in front of the nodes, the subscribers (Java and JavaScript), the
 * publishers, the seeded fault schedule, then healing, a last round of publishes, quiescence, and the
 * checker's verdict. Blocking; one run per call. Timeouts use the monotonic clock.
 */
public final class ChaosRun {
    /**
     * The nodes' idle history check: a durable topic silent this long reads its history's latest offset. Short,
     * so that the end of a run sees the tail that a node filled after missing the last envelopes.
     */
    static final Duration HISTORY_CHECK = Duration.ofSeconds(2);
    private final ChaosOptions o;
    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private final List<String> faultLog = new ArrayList<>();
    private final Map<String, Integer> faultCounts = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Random choices;
    private BackplaneServer server;
    private final List<TcpProxy> backplaneProxies = new ArrayList<>();
    private Nodes nodes;
    private TcpProxy clientProxy;
    private Checker checker;
    private long loadStart;

    private ChaosRun(ChaosOptions o, PrintStream out) {
        this.o = o;
        this.out = out;
        this.choices = new Random(o.seed() ^ 0x5DEECE66DL);
    }

    /**
     * Runs a soak.
     *
     * @param options the run
     * @param out where progress goes (the schedule first, then each fault as it is injected)
     * @return the report; {@link ChaosReport#passed()} is false when the checker found a violation
     * @throws Exception when a part cannot be started (a missing binary, a port): not a finding
     */
    public static ChaosReport run(ChaosOptions options, PrintStream out) throws Exception {
        ChaosRun run = new ChaosRun(options, out);
        // Interrupted (Ctrl-C, SIGTERM): the node processes and servers must not outlive the soak.
        Thread cleanup = new Thread(run::closeAll, "chaos-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return run.execute();
        } finally {
            run.closeAll();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
        }
    }

    private long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private ChaosReport execute() throws Exception {
        ChaosOptions opts = o;
        if (opts.jsSubscribers() > 0 && JsSubscribers.node().isEmpty()) {
            notes.add("Node.js is not on the PATH: no JavaScript subscribers");
            opts = opts.withJsSubscribers(0);
        }
        Path dir = Files.createDirectories(opts.dir());
        List<Fault> schedule = FaultSchedule.draw(opts.seed(), opts.duration().toMillis(), opts.faultInterval().toMillis(),
                opts.nodes());
        List<String> scheduleLines = new ArrayList<>(schedule.stream().map(Fault::describe).toList());
        out.println("chaos: " + opts.replay());
        out.println("chaos: " + schedule.size() + " faults planned (seed " + opts.seed() + "):");
        scheduleLines.forEach(l -> out.println("  " + l));
        Files.write(dir.resolve("schedule.txt"), scheduleLines);
        server = BackplaneServers.create(opts.backplane());
        checker = new Checker(opts.topics(), this::now, !server.atomicHistory());

        List<Integer> proxyPorts = new ArrayList<>();
        for (int i = 0; i < opts.nodes(); i++) {
            int node = i;
            TcpProxy p = new TcpProxy("bp-" + Nodes.id(i),
                    () -> List.of(new InetSocketAddress("127.0.0.1", server.port(node))), 0);
            backplaneProxies.add(p);
            proxyPorts.add(p.port());
        }
        server.proxiedBy(proxyPorts);
        server.start(dir.resolve("backplane"));
        List<String> uris = proxyPorts.stream().map(server::nodeUri).toList();
        Map<String, Retention> durable = new LinkedHashMap<>();
        durable.put("chaos.d.*", Retention.lastMessages(opts.retention()));
        durable.put("chaos.lv.*", Retention.lastValue());
        nodes = new Nodes(dir, new NodeSettings(null, durable, "chaos.", 65_536, null, HISTORY_CHECK, -1), uris);
        for (int i = 0; i < opts.nodes(); i++) {
            nodes.start(i);
        }
        clientProxy = new TcpProxy("clients", () -> {
            List<InetSocketAddress> live = new ArrayList<>(nodes.live());
            Collections.shuffle(live, ThreadLocalRandom.current());
            return live;
        }, 16 * 1024);
        URI viaProxy = URI.create("ws://127.0.0.1:" + clientProxy.port() + "/ws");

        Random plans = new Random(opts.seed() + 1);
        try (JavaSubscribers java = new JavaSubscribers(); JsSubscribers js = new JsSubscribers();
             Publishers publishers = new Publishers()) {
            java.start(viaProxy, plan("j", opts.javaSubscribers(), plans), checker);
            if (opts.jsSubscribers() > 0) {
                js.start(dir, "http://127.0.0.1:" + URI.create(nodes.uri(0)).getPort(), viaProxy,
                        plan("s", opts.jsSubscribers(), plans), checker);
            }
            out.printf("chaos: %d subscribers connected through the proxy, publishing%n",
                    opts.javaSubscribers() + opts.jsSubscribers());
            List<String> nodeUris = new ArrayList<>();
            for (int i = 0; i < opts.nodes(); i++) {
                nodeUris.add(nodes.uri(i));
            }
            List<String> topicNames = opts.topics().stream().map(TopicKind::name).toList();
            publishers.start(nodeUris, opts.publishers(), opts.rate(), topicNames, opts.seed(), checker);
            loadStart = now();
            long pausesEnd = runSchedule(schedule, loadStart, opts.duration().toMillis());
            double seconds = (now() - loadStart) / 1000.0;
            publishers.stop();
            heal();
            out.println("chaos: load over after " + Math.round(seconds) + " s; healed, draining");
            awaitUntil(pausesEnd + 2000);
            Set<String> expected = new HashSet<>(plan("j", opts.javaSubscribers(), new Random(0)).keySet());
            if (opts.jsSubscribers() > 0) {
                expected.addAll(plan("s", opts.jsSubscribers(), new Random(0)).keySet());
            }
            awaitOpen(java, js, opts.jsSubscribers() > 0, expected, 90_000);
            List<String> durableTopics = opts.topics().stream().filter(TopicKind::durable).map(TopicKind::name).toList();
            // Two last rounds: a node that missed a message's envelope fills the gap when the next message
            // arrives, so after the second round everything up to the first must be everywhere.
            publishers.finalRound(durableTopics, checker, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
            awaitQuiet(60_000);
            checker.settle();
            publishers.finalRound(durableTopics, checker, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
            awaitQuiet(60_000);
            Set<String> open = new HashSet<>(java.open());
            if (opts.jsSubscribers() > 0) {
                open.addAll(js.open());
            }
            // Late is not lost: give subscriptions still behind the others time to catch up, and say how long.
            // A message of the last round that nobody received yet had its envelope missed by every node with
            // subscribers: each reads it from the history at its next idle check (HISTORY_CHECK).
            long catchUpStart = now();
            while ((checker.behind(open) > 0 || checker.unseenAcked() > 0) && now() - catchUpStart < 20_000) {
                Thread.sleep(200); // polling the checker
            }
            if (now() - catchUpStart > 200) {
                notes.add("waited " + (now() - catchUpStart) + " ms at the end for subscriptions behind the others");
            }
            if (open.size() < expected.size()) {
                notes.add((expected.size() - open.size()) + " subscribers were not connected at the end "
                        + "(their end-of-run catch-up is not checked)");
            }
            notes.add(clientProxy.closedAfterPause() + " paused (slow) connections were closed by their node");
            Checker.Findings findings = checker.finish(open);
            if (findings.holes() > 0) {
                notes.add(findings.holes() + " topic epoch(s) have a hole in the history: an offset taken by an append "
                        + "whose message was never stored (the server failed between the two writes); subscribers skip "
                        + "it live and a resume across it, within the window, is not recovered");
            }
            if (findings.tailMissing() > 0) {
                notes.add(findings.tailMissing() + " subscriptions lack a message of the very last round: their node "
                        + "missed its envelope, and only a later message of the topic would fill the gap");
            }
            ChaosReport report = new ChaosReport(opts, findings, faultCounts, faultLog, seconds, notes);
            Files.writeString(dir.resolve("report.txt"), report.text());
            Files.write(dir.resolve("faults.txt"), faultLog);
            Files.write(dir.resolve("violations.txt"), report.findings().violations().stream()
                    .map(Violation::describe).toList());
            return report;
        }
    }

    /** @return each subscriber's topics: one count-retention topic and two others, all different */
    private Map<String, List<String>> plan(String prefix, int n, Random r) {
        List<TopicKind> topics = o.topics();
        List<String> counted = topics.stream().filter(t -> t.durable() && !t.lastValue()).map(TopicKind::name).toList();
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
            List<String> mine = new ArrayList<>(List.of(counted.get(r.nextInt(counted.size()))));
            List<String> rest = new ArrayList<>(topics.stream().map(TopicKind::name).filter(t -> !mine.contains(t)).toList());
            Collections.shuffle(rest, r);
            mine.addAll(rest.subList(0, 2));
            out.put(prefix + i, mine);
        }
        return out;
    }

    /** @return when the last slow-consumer pause ends */
    private long runSchedule(List<Fault> schedule, long loadStart, long duration) throws Exception {
        long pausesEnd = 0;
        long lastProgress = now();
        for (Fault f : schedule) {
            long at = loadStart + f.atMillis();
            while (now() < at) {
                Thread.sleep(Math.min(1000, at - now())); // waiting for the fault's time
                if (now() - lastProgress >= 30_000) {
                    lastProgress = now();
                    progress(loadStart);
                }
            }
            if (now() - loadStart >= duration) {
                log("skipped (the load is over): " + f.describe());
                continue;
            }
            String done = inject(f);
            faultCounts.merge(f.kind().label, 1, Integer::sum);
            log(f.kind().label + ": " + done);
            if (f.kind() == Fault.Kind.SLOW_CONSUMER) {
                pausesEnd = Math.max(pausesEnd, now() + f.millis());
            }
        }
        while (now() - loadStart < duration) {
            Thread.sleep(Math.min(1000, duration - (now() - loadStart))); // the rest of the load
            if (now() - lastProgress >= 30_000) {
                lastProgress = now();
                progress(loadStart);
            }
        }
        return pausesEnd;
    }

    private void progress(long loadStart) {
        out.printf("chaos: t+%ds %d records read, %d faults so far%n", (now() - loadStart) / 1000, checker.records(),
                faultLog.size());
    }

    private String inject(Fault f) throws Exception {
        int i = f.node();
        switch (f.kind()) {
            case NODE_KILL -> {
                long pid = nodes.kill(i);
                Thread.sleep(f.millis()); // the node stays down this long
                nodes.start(i);
                return "kill -9 " + Nodes.id(i) + " (pid " + pid + "), started again after " + f.millis() + " ms";
            }
            case NODE_RESTART -> {
                long pid = nodes.terminate(i);
                nodes.start(i);
                return "SIGTERM " + Nodes.id(i) + " (pid " + pid + "), started again";
            }
            case BACKPLANE_CRASH, BACKPLANE_WIPE -> {
                boolean keep = f.kind() == Fault.Kind.BACKPLANE_CRASH;
                String what = server.crash(keep);
                if (!keep) {
                    checker.historyLost();
                }
                Thread.sleep(f.millis()); // the server stays down this long
                server.restart();
                return what + "; started again " + (keep ? "with its data" : "empty") + " after " + f.millis() + " ms";
            }
            case PARTITION -> {
                backplaneProxies.get(i).block(true);
                Thread.sleep(f.millis()); // the partition lasts this long
                backplaneProxies.get(i).block(false);
                return Nodes.id(i) + " cut off from the backplane for " + f.millis() + " ms";
            }
            case CLIENT_CUT -> {
                int n = clientProxy.cut((int) Math.ceil(clientProxy.connections() * f.share()), choices);
                return "reset " + n + " subscriber connections";
            }
            case SLOW_CONSUMER -> {
                int n = clientProxy.pause((int) Math.ceil(clientProxy.connections() * f.share()), choices, f.millis());
                return n + " subscriber connections not read for " + f.millis() + " ms";
            }
            default -> throw new IllegalStateException(f.kind().toString());
        }
    }

    private void log(String line) {
        String l = String.format("t+%6.1fs %s", (now() - loadStart) / 1000.0, line);
        faultLog.add(l);
        out.println("chaos: " + l);
    }

    private void heal() throws Exception {
        for (TcpProxy p : backplaneProxies) {
            p.block(false);
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (!nodes.isUp(i)) {
                nodes.start(i);
            }
        }
    }

    private void awaitUntil(long millis) throws InterruptedException {
        while (now() < millis) {
            Thread.sleep(Math.min(500, millis - now())); // the last pauses run out
        }
    }

    private void awaitOpen(JavaSubscribers java, JsSubscribers js, boolean withJs, Set<String> expected, long max)
            throws Exception {
        long deadline = now() + max;
        while (now() < deadline) {
            Set<String> open = new HashSet<>(java.open());
            if (withJs) {
                open.addAll(js.open());
            }
            if (open.containsAll(expected)) {
                return;
            }
            Thread.sleep(250); // polling the clients' states
        }
    }

    private void awaitQuiet(long max) throws InterruptedException {
        long deadline = now() + max;
        long last = -1;
        long quietSince = now();
        while (now() < deadline) {
            long r = checker.records();
            if (r != last) {
                last = r;
                quietSince = now();
            } else if (now() - quietSince >= 3000) {
                return;
            }
            Thread.sleep(100); // polling the checker's record count
        }
    }

    private synchronized void closeAll() {
        if (clientProxy != null) {
            clientProxy.close();
        }
        if (nodes != null) {
            nodes.close();
        }
        backplaneProxies.forEach(TcpProxy::close);
        if (server != null) {
            server.close();
        }
    }
}
