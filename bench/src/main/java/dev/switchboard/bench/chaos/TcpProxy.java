package dev.switchboard.bench.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on 127.0.0.1 that the soak controls: every accepted connection is forwarded to the first
 * target of {@code targets} that accepts a connection (a load balancer in front of the nodes, or the way
 * from one node to the backplane server), and the soak can cut connections (RST), pause the way back to
 * the client (a consumer that stops reading) and refuse all traffic for a while (a partition).
 *
 * <p>Blocking I/O, two small-stack threads per connection: the soak holds a few hundred. Thread-safe.
 */
final class TcpProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);
    private static final long STACK = 256 * 1024;

    private final String name;
    private final Supplier<List<InetSocketAddress>> targets;
    private final int upstreamReceiveBuffer;
    private final ServerSocket listener;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong closedAfterPause = new AtomicLong();
    private volatile boolean blocked;
    private volatile boolean closed;

    /**
     * Binds a free port and starts accepting.
     *
     * @param name for thread names and logs
     * @param targets where to forward, tried in order; empty or all refusing: the client is closed
     * @param upstreamReceiveBuffer the receive buffer of the socket to the target in bytes, 0 for the
     *     system's; small, so that a paused connection fills the sender's queue soon
     * @throws IOException when no port can be bound
     */
    TcpProxy(String name, Supplier<List<InetSocketAddress>> targets, int upstreamReceiveBuffer) throws IOException {
        this.name = name;
        this.targets = targets;
        this.upstreamReceiveBuffer = upstreamReceiveBuffer;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress("127.0.0.1", 0), 512);
        Thread t = new Thread(null, this::acceptLoop, "proxy-" + name + "-accept", STACK);
        t.setDaemon(true);
        t.start();
    }

    /** @return the port clients connect to */
    int port() {
        return listener.getLocalPort();
    }

    /** @return the connections open now */
    int connections() {
        return links.size();
    }

    /** @return connections that were paused at some point and then closed by the far side */
    long closedAfterPause() {
        return closedAfterPause.get();
    }

    /**
     * Resets up to {@code n} connections chosen with {@code random} (RST to the client, close to the target).
     *
     * @return how many were cut
     */
    int cut(int n, Random random) {
        List<Link> chosen = choose(n, random);
        chosen.forEach(Link::reset);
        return chosen.size();
    }

    /** Resets every connection. @return how many */
    int cutAll() {
        List<Link> all = new ArrayList<>(links);
        all.forEach(Link::reset);
        return all.size();
    }

    /**
     * Stops reading from the target for up to {@code n} connections, so the target's writes back up.
     *
     * @param millis how long
     * @return how many were paused
     */
    int pause(int n, Random random, long millis) {
        List<Link> chosen = choose(n, random);
        long until = System.currentTimeMillis() + millis;
        chosen.forEach(l -> l.pauseUntil(until));
        return chosen.size();
    }

    /**
     * While blocked, every connection is reset and new ones are closed at once: a partition.
     *
     * @param on block or unblock
     */
    void block(boolean on) {
        blocked = on;
        if (on) {
            cutAll();
        }
    }

    private List<Link> choose(int n, Random random) {
        List<Link> all = new ArrayList<>(links);
        all.sort((a, b) -> Long.compare(a.id, b.id)); // a stable order, so the seed decides
        Collections.shuffle(all, random);
        return all.subList(0, Math.min(n, all.size()));
    }

    private void acceptLoop() {
        long ids = 0;
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("proxy {}: accept failed: {}", name, e.toString());
                }
                continue;
            }
            long id = ++ids;
            Thread t = new Thread(null, () -> open(id, client), "proxy-" + name + "-" + id, STACK);
            t.setDaemon(true);
            t.start();
        }
    }

    private void open(long id, Socket client) {
        if (blocked || closed) {
            quietlyReset(client);
            return;
        }
        Socket upstream = null;
        for (InetSocketAddress target : targets.get()) {
            Socket s = new Socket();
            try {
                if (upstreamReceiveBuffer > 0) {
                    s.setReceiveBufferSize(upstreamReceiveBuffer);
                }
                s.connect(target, 1000);
                upstream = s;
                break;
            } catch (IOException e) {
                quietlyClose(s);
            }
        }
        if (upstream == null) {
            quietlyReset(client);
            return;
        }
        Socket target = upstream;
        Link link = new Link(id, client, target);
        links.add(link);
        if (blocked || closed) {
            link.reset();
            return;
        }
        Thread back = new Thread(null, () -> link.pump(target, client, true), "proxy-" + name + "-" + id + "-back",
                STACK);
        back.setDaemon(true);
        back.start();
        link.pump(client, target, false);
    }

    @Override
    public void close() {
        closed = true;
        quietlyClose(listener);
        cutAll();
    }

    private static void quietlyClose(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static void quietlyReset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException e) {
            // closed already
        }
        quietlyClose(s);
    }

    /** One proxied connection. */
    private final class Link {
        final long id;
        final Socket client;
        final Socket upstream;
        private long pausedUntil;
        private boolean wasPaused;
        private boolean done;

        Link(long id, Socket client, Socket upstream) {
            this.id = id;
            this.client = client;
            this.upstream = upstream;
        }

        synchronized void pauseUntil(long until) {
            pausedUntil = until;
            wasPaused = true;
            notifyAll();
        }

        private synchronized void awaitUnpaused() throws InterruptedException {
            long left;
            while ((left = pausedUntil - System.currentTimeMillis()) > 0 && !done) {
                wait(left); // a deliberate pause of the forwarding, not a wait for an outcome
            }
        }

        void pump(Socket from, Socket to, boolean towardsClient) {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    int n = in.read(buf);
                    if (towardsClient) {
                        // After the read too: bytes that were on their way when the pause began are held.
                        awaitUnpaused();
                    }
                    if (n < 0) {
                        if (towardsClient && wasPaused()) {
                            closedAfterPause.incrementAndGet();
                        }
                        break;
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException | InterruptedException e) {
                // a side went away, or a cut: close both
            } finally {
                finish(false);
            }
        }

        private synchronized boolean wasPaused() {
            return wasPaused;
        }

        void reset() {
            finish(true);
        }

        private void finish(boolean rst) {
            synchronized (this) {
                done = true;
                notifyAll();
            }
            links.remove(this);
            if (rst) {
                quietlyReset(client);
                quietlyReset(upstream);
            } else {
                quietlyClose(client);
                quietlyClose(upstream);
            }
        }
    }
}
