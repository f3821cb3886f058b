package dev.switchboard.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.bench.Bench;
import dev.switchboard.bench.generator.Figures;
import dev.switchboard.bench.server.BenchServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crossnode scenario between two bench-server processes on one Redis, each with its default node id
 * (issue 19: both used to call themselves {@code bench-1} and silently dropped each other's traffic), and
 * the same two processes given one id on purpose: the later one reports the conflict and leaves.
 */
class CrossnodeTwoProcessesTest {
    private static final Pattern READY = Pattern.compile("bench-server ready .*\\[(ws://[^,\\]]+)");
    @TempDir
    Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private String redis() throws Exception {
        assumeTrue(RedisServer.binary().isPresent(), "no redis-server here");
        RedisServer redis = new RedisServer();
        closing.add(redis);
        redis.start(dir.resolve("redis"));
        return redis.nodeUri(redis.port());
    }

    /** Starts a bench server in a JVM of its own. @return its node's URL */
    private String otherProcess(String backplane, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                BenchServer.class.getName(), "--port", "0", "--backplane", backplane));
        cmd.addAll(List.of(more));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        closing.add(() -> Processes.terminate(p, 5));
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[bench-server] " + line);
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
                url.completeExceptionally(new IllegalStateException("bench server exited before it was ready"));
            } catch (java.io.IOException e) {
                url.completeExceptionally(e);
            }
        }, "bench-server-output");
        reader.setDaemon(true);
        reader.start();
        return url.get(60, TimeUnit.SECONDS);
    }

    /** Polls a remote process's effect (there is no event to wait on) for up to 60 s. */
    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("within 60 s: %s", what).isNegative();
            Thread.sleep(20);
        }
    }

    @Test
    void crossnodeDeliversBetweenTwoProcessesWithDefaultNodeIds() throws Exception {
        String backplane = redis();
        String publisher = otherProcess(backplane);
        BenchServer here = BenchServer.start("127.0.0.1", 0, 1, backplane, 0, 0, 0);
        closing.add(here);
        // A node is started once its own beats come back or after 5 s, whichever is first: on a loaded machine
        // the first warm-up messages could go out before this node hears the other, and the run's window of 8
        // messages in flight would wait forever for the lost ones. Both nodes in this one's view: it hears the other.
        dev.switchboard.Switchboard board = here.boards().get(0);
        awaitTrue(() -> board.cluster().nodes().size() == 2, "this node hears the other process's node");
        Figures f = Bench.run("crossnode", "--publish-url", publisher, "--url", here.uris().get(0).toString(),
                "--receivers", "10", "--duration", "3s", "--warmup", "1s");
        System.out.println(f.line());
        assertThat(f.number("delivered")).isPositive();
        assertThat(f.number("missing")).isZero();
        assertThat(f.number("errors")).isZero();
    }

    @Test
    void theSameNodeIdInTwoProcessesIsReportedInsteadOfLosingMessagesSilently() throws Exception {
        String backplane = redis();
        BenchServer first = BenchServer.start("127.0.0.1", 0, 1, backplane, 0, 0, 0,
                dev.switchboard.Execution.INLINE, new dev.switchboard.bench.server.NodeSettings("twin",
                        java.util.Map.of(), null, 0, null, null, -1));
        closing.add(first);
        // The other process starts later: it leaves; this one keeps its id and reports the conflict while the
        // other's beats come and for 3 s after, then is healthy again. Watch from before the other JVM starts: it
        // prints "ready" only after its node started, which on a loaded machine can be after the report ended.
        dev.switchboard.Switchboard board = first.boards().get(0);
        java.util.concurrent.atomic.AtomicBoolean reported = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ScheduledExecutorService watch = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        closing.add(watch::shutdownNow);
        watch.scheduleWithFixedDelay(() -> {
            if (board.backplaneHealth().detail().contains("node id twin is in use by another live node")) {
                reported.set(true);
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        otherProcess(backplane, "--node-id", "twin");
        awaitTrue(() -> reported.get() && board.backplaneHealth().up(), "the conflict reported, then healthy again");
        assertThat(reported).as("the conflict reported on this node's health").isTrue();
        assertThat(board.backplaneHealth().up()).as("healthy again once the other process left").isTrue();
    }
}
