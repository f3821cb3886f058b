package dev.switchboard.bench.generator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/**
 * The generator's WebSocket client: Jetty 12's NIO WebSocket core client, many connections per thread.
 * Every connection shares one small thread pool, one scheduler and one selector per source address.
 *
 * <p>Source addresses: a TCP client has about 28,000 ephemeral ports per (source, destination) pair, so
 * for very large N the connections are spread over {@code 127.0.0.1, 127.0.0.2, …} (all loopback), one
 * Jetty {@link HttpClient} bound to each, used round-robin. Connects in flight are bounded
 * ({@code connectConcurrency}) so a burst neither overflows the server's accept backlog nor measures
 * SYN retransmits instead of the server.
 */
public final class LoadClient implements AutoCloseable {
    private final QueuedThreadPool pool;
    private final ScheduledExecutorScheduler scheduler;
    private final WebSocketComponents components;
    private final List<WebSocketCoreClient> clients = new ArrayList<>();
    private final Semaphore connecting;
    private final AtomicInteger next = new AtomicInteger();
    private final Duration idleTimeout;

    /**
     * Starts the client.
     *
     * @param threads the bound of the shared pool (selector threads included)
     * @param sourceAddresses how many loopback source addresses to spread connections over (1 = the OS's choice)
     * @param connectConcurrency how many upgrades may be in flight at once
     * @param idleTimeout the WebSocket idle timeout of every connection
     * @throws IllegalStateException when Jetty cannot start
     */
    public LoadClient(int threads, int sourceAddresses, int connectConcurrency, Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
        this.connecting = new Semaphore(connectConcurrency);
        // One selector thread per source address, plus at least one to run what they select.
        int bound = Math.max(threads, Math.max(1, sourceAddresses) + 1);
        pool = new QueuedThreadPool(bound, Math.min(2, bound));
        // No reserved (spinning, pre-dispatched) threads: on one core they cost more than they save
        // (measured: 122k → 150k frames/s received with the same server).
        pool.setReservedThreads(0);
        pool.setName("bench-client");
        pool.setDaemon(true);
        scheduler = new ScheduledExecutorScheduler("bench-client-scheduler", true);
        components = new WebSocketComponents(null, null, null, null, null, pool);
        try {
            pool.start();
            scheduler.start();
            components.start();
            for (int i = 0; i < Math.max(1, sourceAddresses); i++) {
                ClientConnector connector = new ClientConnector();
                connector.setSelectors(1);
                connector.setExecutor(pool);
                connector.setScheduler(scheduler);
                connector.setConnectTimeout(Duration.ofSeconds(15));
                if (sourceAddresses > 1) {
                    connector.setBindAddress(new InetSocketAddress(loopback(i), 0));
                }
                HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(connector));
                http.setExecutor(pool);
                http.setScheduler(scheduler);
                http.setMaxConnectionsPerDestination(connectConcurrency + 8);
                http.setMaxRequestsQueuedPerDestination(Integer.MAX_VALUE);
                http.setIdleTimeout(idleTimeout.toMillis());
                WebSocketCoreClient client = new WebSocketCoreClient(http, components);
                client.start();
                clients.add(client);
            }
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot start the Jetty WebSocket client", e);
        }
    }

    private static InetAddress loopback(int i) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, (byte) (i >> 8), (byte) (1 + (i & 0xff))});
    }

    /**
     * Opens one connection; blocks while {@code connectConcurrency} upgrades are already in flight.
     *
     * @param uri the {@code ws://} endpoint
     * @param socket receives the connection's frames
     * @return completes when the upgrade succeeded (the {@code welcome} frame may still be on its way)
     * @throws InterruptedException when interrupted while waiting for a connect slot
     */
    public CompletableFuture<CoreSession> connect(URI uri, BenchSocket socket) throws InterruptedException {
        connecting.acquire();
        socket.dialect = Dialect.of(uri);
        WebSocketCoreClient client = clients.get(Math.floorMod(next.getAndIncrement(), clients.size()));
        CompletableFuture<CoreSession> done;
        try {
            CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(client, uri, socket);
            Configuration.ConfigurationCustomizer config = new Configuration.ConfigurationCustomizer();
            config.setIdleTimeout(idleTimeout);
            config.setMaxTextMessageSize(1 << 20);
            request.setConfiguration(config);
            request.timeout(30, java.util.concurrent.TimeUnit.SECONDS);
            done = client.connect(request);
        } catch (IOException | RuntimeException e) {
            connecting.release();
            return CompletableFuture.failedFuture(e);
        }
        return done.whenComplete((s, f) -> {
            connecting.release();
            if (f != null) {
                socket.welcomed.completeExceptionally(f);
            }
        });
    }

    /** @return the threads of the shared pool, for the report */
    public int threads() {
        return pool.getThreads();
    }

    @Override
    public void close() {
        for (WebSocketCoreClient c : clients) {
            try {
                c.stop();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        try {
            components.stop();
            scheduler.stop();
            pool.stop();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
