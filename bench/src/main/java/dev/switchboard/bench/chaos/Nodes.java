package dev.switchboard.bench.chaos;

import dev.switchboard.bench.server.BenchServer;
import dev.switchboard.bench.server.NodeSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The soak's Switchboard nodes: one {@link BenchServer} JVM each, on a port chosen once, so a node comes
 * back where it was after a kill or a restart. Node i reaches the backplane through its own proxy, whose
 * URI the caller gives. Not thread-safe: the soak's fault thread is the only caller after start.
 */
final class Nodes implements AutoCloseable {
    private final Path dir;
    private final NodeSettings settings;
    private final List<String> backplaneUris;
    private final int[] ports;
    private final Process[] processes;
    private final boolean[] up;

    /**
     * @param dir where each node's log goes
     * @param settings the settings every node shares; the node id is {@code n1}, {@code n2}, …
     * @param backplaneUris node i's {@code --backplane}
     */
    Nodes(Path dir, NodeSettings settings, List<String> backplaneUris) {
        this.dir = dir;
        this.settings = settings;
        this.backplaneUris = List.copyOf(backplaneUris);
        int n = backplaneUris.size();
        this.ports = new int[n];
        this.processes = new Process[n];
        this.up = new boolean[n];
        for (int i = 0; i < n; i++) {
            ports[i] = Processes.freePort();
        }
    }

    /** @return the {@code java} executable of this JVM */
    static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** @return this JVM's class path, which has the bench server, every backplane and the stand-ins */
    static String classpath() {
        return System.getProperty("java.class.path");
    }

    /** @return how many nodes */
    int size() {
        return ports.length;
    }

    /** @param i the node @return its id */
    static String id(int i) {
        return "n" + (i + 1);
    }

    /** @param i the node @return its WebSocket URI */
    String uri(int i) {
        return "ws://127.0.0.1:" + ports[i] + "/ws";
    }

    /** @param i the node @return true while it runs */
    boolean isUp(int i) {
        return up[i];
    }

    /** @return the addresses of the running nodes, for the clients' proxy to spread connections over */
    List<InetSocketAddress> live() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            if (up[i]) {
                out.add(new InetSocketAddress("127.0.0.1", ports[i]));
            }
        }
        return out;
    }

    /**
     * Starts node i and waits until it accepts connections.
     *
     * @param i the node
     * @throws Exception when it does not start
     */
    void start(int i) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-Dorg.slf4j.simpleLogger.log.dev.switchboard.internal=info",
                "-cp", classpath(), BenchServer.class.getName(),
                "--host", "127.0.0.1", "--port", Integer.toString(ports[i]), "--backplane", backplaneUris.get(i),
                "--rate-limit", "0", "--execution", "pooled"));
        cmd.addAll(new NodeSettings(id(i), settings.durable(), settings.subscribePrefix(), settings.maxQueuedBytes(),
                settings.heartbeat(), settings.historyCheck(), settings.reservedThreads()).toArgs());
        Process p = Processes.start(cmd, dir.resolve(id(i) + ".log"));
        processes[i] = p;
        Processes.await("node " + id(i), p, () -> accepts(ports[i]));
        up[i] = true;
    }

    /** @param i the node, killed with SIGKILL @return the pid */
    long kill(int i) {
        up[i] = false;
        Processes.kill9(processes[i]);
        return processes[i].pid();
    }

    /** @param i the node, stopped with SIGTERM (it closes its connections with 1001) @return the pid */
    long terminate(int i) {
        up[i] = false;
        Processes.terminate(processes[i], 20);
        return processes[i].pid();
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < processes.length; i++) {
            if (processes[i] != null && processes[i].isAlive()) {
                up[i] = false;
                Processes.terminate(processes[i], 10);
            }
        }
    }
}
