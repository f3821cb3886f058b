package dev.switchboard.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny TCP load balancer for tests, doing what a Kubernetes Service does with a readiness probe: each new
 * connection goes to the first backend whose {@code GET /health} answers 200, and its bytes are piped both
 * ways until either side closes. Threads per connection; enough for a handful of clients.
 */
final class HealthCheckingBalancer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<Integer> backends;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /** @param backends the backends' ports on 127.0.0.1, in order of preference */
    HealthCheckingBalancer(List<Integer> backends) throws IOException {
        this.backends = List.copyOf(backends);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "balancer-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return the balancer's port */
    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(client);
            Thread t = new Thread(() -> connect(client), "balancer-connect");
            t.setDaemon(true);
            t.start();
        }
    }

    private void connect(Socket client) {
        Integer ready = backends.stream().filter(HealthCheckingBalancer::ready).findFirst().orElse(null);
        if (ready == null) {
            closeQuietly(client);
            return;
        }
        Socket backend;
        try {
            backend = new Socket(InetAddress.getLoopbackAddress(), ready);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        sockets.add(backend);
        pipe(client, backend);
        pipe(backend, client);
    }

    private static boolean ready(int port) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "balancer-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(HealthCheckingBalancer::closeQuietly);
    }
}
