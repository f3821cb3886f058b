package dev.switchboard.bench.generator;

import dev.switchboard.bench.Args;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The generator's options, shared by every scenario (each reads the ones it needs).
 *
 * @param scenario fanout, crossnode, baseline, rpc or connections
 * @param urls {@code --url}: one or more comma-separated {@code ws://} endpoints; receivers, rpc clients
 *     and idle connections are spread over them round-robin (default {@code ws://127.0.0.1:8080/ws})
 * @param publishUrl {@code --publish-url}: where the fanout publisher and the stats requests go
 *     (default: the first url; crossnode: the node that holds no receivers)
 * @param receivers {@code --receivers}: fanout receivers C (default 100)
 * @param clients {@code --clients}: rpc clients K (default 50)
 * @param connections {@code --connections}: idle connections N (default 1000)
 * @param messages {@code --messages}: stop publishing after M measured messages (default 0: no cap)
 * @param rate {@code --rate}: fanout messages/s or rpc calls/s in total; 0 = flat out (default 0)
 * @param window {@code --window}: flat-out fanout keeps at most this many messages not yet delivered to
 *     every receiver (default 8), so the measurement saturates the server without growing its queues
 * @param duration {@code --duration}: the measured phase (default 10s)
 * @param warmup {@code --warmup}: an unmeasured phase of the same load first, for the JITs (default 3s)
 * @param payloadBytes {@code --payload-bytes}: padding in each payload (default 64)
 * @param threads {@code --threads}: the generator's Jetty pool bound (default 2)
 * @param sourceAddresses {@code --source-addresses}: loopback source addresses to spread over
 *     (default 0: one per 20,000 connections)
 * @param connectConcurrency {@code --connect-concurrency}: upgrades in flight at once (default 64)
 * @param hold {@code --hold}: connections: how long the idle connections are held (default 5s)
 * @param topic {@code --topic}: the fanout topic (default bench)
 */
public record BenchOptions(String scenario, List<URI> urls, URI publishUrl, int receivers, int clients,
                           int connections, long messages, double rate, int window, Duration duration,
                           Duration warmup, int payloadBytes, int threads, int sourceAddresses,
                           int connectConcurrency, Duration hold, String topic) {

    /**
     * @param scenario the scenario name
     * @param args the remaining command line
     * @return the options
     * @throws IllegalArgumentException for a bad or unknown option
     */
    public static BenchOptions parse(String scenario, Args args) {
        List<URI> urls = new ArrayList<>();
        for (String u : args.string("url", "ws://127.0.0.1:8080/ws").split(",")) {
            urls.add(URI.create(u.trim()));
        }
        String publish = args.string("publish-url", null);
        BenchOptions o = new BenchOptions(scenario, List.copyOf(urls),
                publish == null ? urls.get(0) : URI.create(publish),
                args.integer("receivers", 100), args.integer("clients", 50), args.integer("connections", 1000),
                args.integer("messages", 0), args.decimal("rate", 0), args.integer("window", 8),
                args.duration("duration", Duration.ofSeconds(10)), args.duration("warmup", Duration.ofSeconds(3)),
                args.integer("payload-bytes", 64), args.integer("threads", 2), args.integer("source-addresses", 0),
                args.integer("connect-concurrency", 64), args.duration("hold", Duration.ofSeconds(5)),
                args.string("topic", "bench"));
        args.requireAllUsed();
        return o;
    }

    /** Validates the sizes. */
    public BenchOptions {
        if (receivers < 1 || clients < 1 || connections < 1 || window < 1 || threads < 1 || connectConcurrency < 1) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (rate < 0 || messages < 0 || payloadBytes < 0) {
            throw new IllegalArgumentException("--rate, --messages and --payload-bytes must be >= 0");
        }
    }

    /** @param n connections to open @return the source addresses to spread them over */
    int sourcesFor(int n) {
        return sourceAddresses > 0 ? sourceAddresses : Math.max(1, (n + 19_999) / 20_000);
    }

    /** @param i a connection's index @return the url it connects to */
    URI url(int i) {
        return urls.get(i % urls.size());
    }

    /** @return a payload padding of {@link #payloadBytes} characters */
    String padding() {
        return "x".repeat(payloadBytes);
    }
}
