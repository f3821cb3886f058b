package dev.switchboard.bench.generator;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code fanout} (and {@code crossnode}, {@code baseline}, which differ only in where they point): C
 * receivers join the topic; one publisher sends {@code publish} requests whose payload carries
 * {@code seq} and a {@code System.nanoTime()} send stamp; each receiver records now − stamp (generator
 * and receivers share one JVM, so one clock).
 *
 * <p>Flat out ({@code --rate 0}) is closed-loop: at most {@code --window} messages are out that have not
 * reached every receiver yet, which saturates the server without letting its per-connection queues
 * grow into slow-consumer closes. With {@code --rate R} the publisher is open-loop and the stamp is the
 * message's <em>intended</em> send time, so a stalled publisher or server shows up as latency
 * (no coordinated omission). The publisher's acknowledgements ({@code ack_*}: from the same stamp to
 * the reply to its {@code publish} request) are recorded beside the deliveries.
 */
public final class FanoutScenario {
    private static final byte[] SEQ = Frames.key("seq");
    private static final byte[] TS = Frames.key("ts");

    private final BenchOptions o;
    private final AtomicLong errors = new AtomicLong();
    private final Recorder latencies = new Recorder(3);
    private final Recorder acks = new Recorder(3);
    private final AtomicLong deliveredTotal = new AtomicLong();
    private final LongAdder deliveredMeasured = new LongAdder();
    private volatile long measureFromSeq = Long.MAX_VALUE;
    private volatile long lastDeliveryNanos;
    private volatile Thread publisherThread;
    private long seq;
    private long sentTotal;

    private FanoutScenario(BenchOptions o) {
        this.o = o;
    }

    /**
     * Runs one fanout measurement; blocks for about warmup + duration plus connect and drain time.
     *
     * @param o the options ({@code receivers, rate, window, messages, duration, warmup, url, publish-url})
     * @return the figures
     * @throws InterruptedException when interrupted
     */
    public static Figures run(BenchOptions o) throws InterruptedException {
        return new FanoutScenario(o).run();
    }

    private Figures run() throws InterruptedException {
        int c = o.receivers();
        try (LoadClient client = new LoadClient(o.threads(), o.sourcesFor(c + 1), o.connectConcurrency(),
                Duration.ofMinutes(10))) {
            ControlSocket publisher = new ControlSocket(errors);
            client.connect(o.publishUrl(), publisher);
            List<Receiver> receivers = new ArrayList<>(c);
            for (int i = 0; i < c; i++) {
                Receiver r = new Receiver();
                receivers.add(r);
                client.connect(o.url(i), r);
            }
            Scenarios.await(publisher.welcomed, "publisher welcome");
            for (Receiver r : receivers) {
                Scenarios.await(r.welcomed, "receiver welcome");
                Scenarios.await(r.joined, "receiver join");
            }
            publisherThread = Thread.currentThread();
            if (!o.warmup().isZero()) {
                publish(publisher, o.warmup(), 0);
                drain(sentTotal, deliveredTotal::get, Duration.ofSeconds(10));
            }
            latencies.reset();
            acks.reset();
            // Late replies to warm-up messages must not count as acknowledgements of measured ones.
            publisher.recordAcksAfterId = publisher.lastRequestId();
            publisher.ackLatencies = acks;
            long firstSeq = seq;
            measureFromSeq = firstSeq;
            ServerSample before = ServerSample.take(publisher, false);
            CpuMeter cpu = new CpuMeter();
            long t0 = System.nanoTime();
            long sentBefore = sentTotal;
            publish(publisher, o.duration(), o.messages());
            long sent = sentTotal - sentBefore;
            long tSent = System.nanoTime();
            drain(sent, deliveredMeasured::sum, Duration.ofSeconds(10));
            double genCpu = cpu.cores();
            ServerSample after = ServerSample.take(publisher, false);
            long delivered = deliveredMeasured.sum();
            long end = Math.max(lastDeliveryNanos, tSent);
            double seconds = (end - t0) / 1e9;
            Histogram h = latencies.getIntervalHistogram();
            publisher.ackLatencies = null;
            Histogram ackHistogram = acks.getIntervalHistogram();
            long closedEarly = receivers.stream().filter(r -> r.closed.isDone()).count();

            Figures f = new Figures(o.scenario())
                    .text("url", o.urls().size() == 1 ? o.urls().get(0).toString() : o.urls().toString())
                    .text("publish_url", o.publishUrl().toString())
                    .count("receivers", c)
                    .decimal("rate", o.rate(), 0)
                    .count("window", o.window())
                    .decimal("seconds", seconds, 2)
                    .count("sent", sent)
                    .decimal("sent_per_s", sent / ((tSent - t0) / 1e9), 0)
                    .count("delivered", delivered)
                    .decimal("delivered_per_s", delivered / seconds, 0)
                    .count("missing", sent * c - delivered)
                    .latency(h)
                    .latency("ack", ackHistogram)
                    .count("closed", closedEarly)
                    .count("errors", errors.get())
                    .decimal("gen_cpu", genCpu, 2);
            before.addUntil(after, f);
            // Server CPU per delivered frame: comparable across runs whose rates differ.
            f.decimal("srv_us_per_delivery", f.number("srv_cpu") * seconds * 1e6 / Math.max(1, delivered), 2);
            before.addPerUnit(after, sent, f, "msg");
            for (Receiver r : receivers) {
                r.close();
            }
            publisher.close();
            return f;
        }
    }

    /** Publishes for {@code period} or {@code cap} messages (0 = no cap), by rate or window. */
    private void publish(ControlSocket publisher, Duration period, long cap) {
        int c = o.receivers();
        String pad = o.padding();
        String head = "{\"topic\":\"" + o.topic() + "\",\"payload\":{\"seq\":";
        long interval = o.rate() > 0 ? (long) (1e9 / o.rate()) : 0;
        long start = System.nanoTime();
        long end = start + period.toNanos();
        long i = 0;
        while (cap == 0 || i < cap) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            long stamp;
            if (interval > 0) {
                long intended = start + i * interval;
                if (intended > now) {
                    LockSupport.parkNanos(Math.min(intended - now, end - now));
                    continue;
                }
                stamp = intended;
            } else {
                if (sentTotal * c - deliveredTotal.get() >= (long) o.window() * c) {
                    // Receivers unpark us each time a message's worth of frames arrived.
                    LockSupport.parkNanos(1_000_000);
                    continue;
                }
                stamp = now;
            }
            publisher.fire("publish", head + seq + ",\"ts\":" + stamp + ",\"pad\":\"" + pad + "\"}}", stamp);
            seq++;
            sentTotal++;
            i++;
        }
    }

    /** Waits until every receiver got all {@code sent} messages, or the timeout. */
    private void drain(long sent, java.util.function.LongSupplier delivered, Duration timeout) {
        long expected = sent * o.receivers();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (delivered.getAsLong() < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** A receiver: joins on welcome, then records every {@code msg} event. */
    private final class Receiver extends ControlSocket {
        final java.util.concurrent.CompletableFuture<Void> joined = new java.util.concurrent.CompletableFuture<>();

        Receiver() {
            super(FanoutScenario.this.errors);
        }

        @Override
        void onWelcome(ByteBuffer frame) {
            call("join", "{\"topic\":\"" + o.topic() + "\"}").whenComplete((v, f) -> {
                if (f != null) {
                    joined.completeExceptionally(f);
                } else {
                    joined.complete(null);
                }
            });
        }

        @Override
        void onEvent(ByteBuffer frame) {
            long now = System.nanoTime();
            long s = Frames.longField(frame, SEQ);
            long stamp = Frames.longField(frame, TS);
            if (s >= measureFromSeq && stamp != Long.MIN_VALUE) {
                latencies.recordValue(Math.max(0, now - stamp));
                deliveredMeasured.increment();
                lastDeliveryNanos = now;
            }
            if (deliveredTotal.incrementAndGet() % o.receivers() == 0) {
                Thread p = publisherThread;
                if (p != null) {
                    LockSupport.unpark(p);
                }
            }
        }
    }
}
