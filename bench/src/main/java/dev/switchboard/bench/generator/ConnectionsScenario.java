package dev.switchboard.bench.generator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code connections}: N idle connections. Measures the connect rate (upgrade and {@code welcome} of
 * all N, at most {@code --connect-concurrency} in flight) and what they cost the server: heap used after
 * a full GC and RSS, each asked of the server before and after ({@code stats} with {@code gc:true}),
 * divided by N. The connections are then held for {@code --hold}, answering pings, and counted again.
 */
public final class ConnectionsScenario {
    private final BenchOptions o;
    private final AtomicLong errors = new AtomicLong();

    private ConnectionsScenario(BenchOptions o) {
        this.o = o;
    }

    /**
     * @param o the options ({@code connections, connect-concurrency, source-addresses, hold, url})
     * @return the figures
     * @throws InterruptedException when interrupted
     */
    public static Figures run(BenchOptions o) throws InterruptedException {
        return new ConnectionsScenario(o).run();
    }

    private Figures run() throws InterruptedException {
        int n = o.connections();
        int sources = o.sourcesFor(n + 1);
        try (LoadClient client = new LoadClient(o.threads(), sources, o.connectConcurrency(), Duration.ofMinutes(10))) {
            ControlSocket control = new ControlSocket(errors);
            client.connect(o.publishUrl(), control);
            Scenarios.await(control.welcomed, "control welcome");
            ServerSample before = ServerSample.take(control, true);
            CpuMeter cpu = new CpuMeter();
            ServerSample cpuBefore = ServerSample.take(control, false);
            long t0 = System.nanoTime();
            List<BenchSocket> sockets = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                BenchSocket s = new BenchSocket(errors) { };
                sockets.add(s);
                client.connect(o.url(i), s);
            }
            int failed = 0;
            for (BenchSocket s : sockets) {
                try {
                    Scenarios.await(s.welcomed, "welcome");
                } catch (IllegalStateException e) {
                    failed++;
                }
            }
            long t1 = System.nanoTime();
            double genCpu = cpu.cores();
            ServerSample cpuAfter = ServerSample.take(control, false);
            Thread.sleep(1000); // let the last handshakes' garbage become garbage
            ServerSample after = ServerSample.take(control, true);
            Thread.sleep(o.hold().toMillis());
            long open = sockets.stream().filter(BenchSocket::isOpen).count();
            ServerSample end = ServerSample.take(control, false);
            int connected = n - failed;
            double seconds = (t1 - t0) / 1e9;
            Figures f = new Figures(o.scenario())
                    .text("url", o.urls().size() == 1 ? o.urls().get(0).toString() : o.urls().toString())
                    .count("connections", n)
                    .count("connected", connected)
                    .count("failed", failed)
                    .count("sources", sources)
                    .decimal("connect_seconds", seconds, 2)
                    .decimal("connects_per_s", connected / seconds, 0)
                    .count("srv_connections", after.connections())
                    .decimal("heap_per_conn_kib", perConnection(before.heapUsedBytes(), after.heapUsedBytes(), connected), 2)
                    .decimal("rss_per_conn_kib", perConnection(before.rssBytes(), after.rssBytes(), connected), 2)
                    .decimal("srv_heap_mib", after.heapUsedBytes() / 1048576.0, 1)
                    .decimal("srv_rss_mib", after.rssBytes() / 1048576.0, 1)
                    .count("open_after_hold", open)
                    .count("srv_connections_after_hold", end.connections())
                    .count("errors", errors.get())
                    .decimal("gen_cpu", genCpu, 2);
            cpuBefore.addUntil(cpuAfter, f);
            cpuBefore.addPerUnit(cpuAfter, connected, f, "conn");
            f.text("srv_gc", after.gc());
            for (BenchSocket s : sockets) {
                s.close();
            }
            control.close();
            return f;
        }
    }

    private static double perConnection(long before, long after, int n) {
        if (before < 0 || after < 0 || n == 0) {
            return Double.NaN;
        }
        return (after - before) / 1024.0 / n;
    }
}
