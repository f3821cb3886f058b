package dev.switchboard.bench.generator;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code rpc}: K clients, each making sequential {@code echo} requests (the next one leaves when the
 * previous reply arrived). Flat out ({@code --rate 0}) a client sends its next request from the reply's
 * callback. With {@code --rate R} (calls/s in total) each client follows its own schedule of R/K calls/s,
 * staggered, and latency runs from the intended send time, so queueing is not hidden.
 */
public final class RpcScenario {
    private static final byte[] TS = Frames.key("ts");
    private static final byte[] ERROR = Frames.key("error");

    private final BenchOptions o;
    private final AtomicLong errors = new AtomicLong();
    private final Recorder latencies = new Recorder(3);
    private final LongAdder calls = new LongAdder();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-rpc-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running;
    private volatile boolean measuring;
    /** Calls intended before this instant belong to the warm-up; rate-mode schedules restart here. */
    private volatile long measureFrom = Long.MAX_VALUE;

    private RpcScenario(BenchOptions o) {
        this.o = o;
    }

    /**
     * @param o the options ({@code clients, rate, duration, warmup, url})
     * @return the figures
     * @throws InterruptedException when interrupted
     */
    public static Figures run(BenchOptions o) throws InterruptedException {
        RpcScenario s = new RpcScenario(o);
        try {
            return s.run();
        } finally {
            s.timer.shutdownNow();
        }
    }

    private Figures run() throws InterruptedException {
        int k = o.clients();
        try (LoadClient client = new LoadClient(o.threads(), o.sourcesFor(k + 1), o.connectConcurrency(),
                Duration.ofMinutes(10))) {
            ControlSocket control = new ControlSocket(errors);
            client.connect(o.publishUrl(), control);
            List<Caller> callers = new ArrayList<>(k);
            for (int i = 0; i < k; i++) {
                Caller c = new Caller(i);
                callers.add(c);
                client.connect(o.url(i), c);
            }
            Scenarios.await(control.welcomed, "control welcome");
            for (Caller c : callers) {
                Scenarios.await(c.welcomed, "client welcome");
            }
            running = true;
            long start = System.nanoTime();
            for (Caller c : callers) {
                c.start(start);
            }
            Thread.sleep(o.warmup().toMillis());
            latencies.reset();
            calls.reset();
            measureFrom = System.nanoTime();
            measuring = true;
            ServerSample before = ServerSample.take(control, false);
            CpuMeter cpu = new CpuMeter();
            long t0 = System.nanoTime();
            Thread.sleep(o.duration().toMillis());
            measuring = false;
            long t1 = System.nanoTime();
            double genCpu = cpu.cores();
            long done = calls.sum();
            Histogram h = latencies.getIntervalHistogram();
            running = false;
            ServerSample after = ServerSample.take(control, false);
            Figures f = new Figures(o.scenario())
                    .text("url", o.urls().size() == 1 ? o.urls().get(0).toString() : o.urls().toString())
                    .count("clients", k)
                    .decimal("rate", o.rate(), 0)
                    .decimal("seconds", (t1 - t0) / 1e9, 2)
                    .count("calls", done)
                    .decimal("calls_per_s", done / ((t1 - t0) / 1e9), 0)
                    .latency(h)
                    .count("errors", errors.get())
                    .decimal("gen_cpu", genCpu, 2);
            before.addUntil(after, f);
            before.addPerUnit(after, done, f, "call");
            for (Caller c : callers) {
                c.close();
            }
            control.close();
            return f;
        }
    }

    /** One sequential caller. */
    private final class Caller extends BenchSocket {
        private final int index;
        private final long interval;
        private final String pad = o.padding();
        private long id;
        private long next; // intended send time of the next call (rate mode)
        private volatile long sentAt;

        Caller(int index) {
            super(RpcScenario.this.errors);
            this.index = index;
            this.interval = o.rate() > 0 ? (long) (1e9 * o.clients() / o.rate()) : 0;
        }

        void start(long start) {
            if (interval == 0) {
                call(System.nanoTime());
            } else {
                // Stagger the clients over one interval so they do not all fire together.
                next = start + interval * index / o.clients();
                schedule();
            }
        }

        private void schedule() {
            long delay = next - System.nanoTime();
            if (delay <= 0) {
                call(next);
            } else {
                timer.schedule(() -> call(next), delay, TimeUnit.NANOSECONDS);
            }
        }

        private void call(long stamp) {
            if (!running) {
                return;
            }
            sentAt = stamp;
            request(++id, "echo", "{\"ts\":" + stamp + ",\"pad\":\"" + pad + "\"}");
        }

        @Override
        void onReply(ByteBuffer frame) {
            long now = System.nanoTime();
            if (Frames.has(frame, ERROR)) {
                errors.incrementAndGet();
            }
            long stamp = Frames.longField(frame, TS);
            if (stamp == Long.MIN_VALUE) {
                stamp = sentAt;
            }
            if (measuring && stamp >= measureFrom) {
                latencies.recordValue(Math.max(0, now - stamp));
                calls.increment();
            }
            if (interval == 0) {
                call(now);
            } else {
                next += interval;
                long from = measureFrom;
                if (from != Long.MAX_VALUE && next < from) {
                    // A backlog left by the warm-up (cold JITs) is not carried into the measurement:
                    // the schedule restarts, staggered as at the start.
                    next = from + interval * index / o.clients();
                }
                schedule();
            }
        }
    }
}
