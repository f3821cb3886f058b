package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.bench.generator.Figures;
import dev.switchboard.bench.server.BaselineServer;
import dev.switchboard.bench.server.BenchServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs every scenario for a few seconds with small sizes against in-process servers on free ports and
 * checks that figures came out and are plausible. Not a performance test: nothing here asserts a speed.
 * The Socket.IO peer ({@code bench/socketio/server.js}) runs too when Node.js and its installed packages
 * are there ({@code .ci/run} installs them); otherwise its tests are skipped with the reason.
 */
class BenchSmokeTest {
    private static BenchServer single;
    private static BenchServer twoNodes;
    private static BaselineServer baseline;
    private static SocketIoPeer socketIo;

    @BeforeAll
    static void startServers() throws IOException, InterruptedException {
        single = BenchServer.start("127.0.0.1", 0, 1, "none", 0, 0, 0);
        twoNodes = BenchServer.start("127.0.0.1", 0, 2, "memory", 0, 0, 0);
        baseline = BaselineServer.start("127.0.0.1", 0, 16);
        if (SocketIoPeer.unavailable() == null) {
            socketIo = SocketIoPeer.start();
        } else {
            System.out.println("BenchSmokeTest: " + SocketIoPeer.unavailable());
        }
    }

    @AfterAll
    static void stopServers() throws InterruptedException {
        single.close();
        twoNodes.close();
        baseline.close();
        if (socketIo != null) {
            socketIo.close();
        }
    }

    private static String url(BenchServer s, int node) {
        return s.uris().get(node).toString();
    }

    private static void assertFanoutFigures(Figures f, int receivers) {
        System.out.println(f.line());
        assertThat(f.number("receivers")).isEqualTo(receivers);
        assertThat(f.number("sent")).isPositive();
        assertThat(f.number("delivered")).isPositive();
        assertThat(f.number("delivered")).isLessThanOrEqualTo(f.number("sent") * receivers);
        assertThat(f.number("missing")).isZero();
        assertThat(f.number("delivered_per_s")).isPositive();
        assertThat(f.number("samples")).isEqualTo(f.number("delivered"));
        assertThat(f.number("p50_ms")).isPositive().isLessThanOrEqualTo(f.number("p99_ms"));
        assertThat(f.number("p99_ms")).isLessThanOrEqualTo(f.number("max_ms"));
        assertThat(f.number("errors")).isZero();
        assertThat(f.number("gen_cpu")).isPositive();
        assertThat(f.number("srv_cpu")).isPositive();
    }

    @Test
    void fanoutFlatOut() throws InterruptedException {
        Figures f = Bench.run("fanout", "--url", url(single, 0), "--receivers", "20", "--duration", "3s",
                "--warmup", "500ms");
        assertFanoutFigures(f, 20);
        assertThat(f.line()).startsWith("fanout url=ws://127.0.0.1:");
    }

    @Test
    void fanoutAtARateStopsAtTheMessageCap() throws InterruptedException {
        Figures f = Bench.run("fanout", "--url", url(single, 0), "--receivers", "10", "--rate", "200",
                "--messages", "150", "--duration", "5s", "--warmup", "0s", "--topic", "paced");
        assertFanoutFigures(f, 10);
        assertThat(f.number("sent")).isEqualTo(150);
        assertThat(f.number("delivered")).isEqualTo(1500);
        assertThat(f.number("seconds")).isBetween(0.5, 2.5); // 150 messages at 200/s, not the 5 s duration
    }

    @Test
    void crossnodePublishesOnOneNodeAndDeliversOnTheOther() throws InterruptedException {
        Figures f = Bench.run("crossnode", "--publish-url", url(twoNodes, 0), "--url", url(twoNodes, 1),
                "--receivers", "20", "--duration", "3s", "--warmup", "500ms");
        assertFanoutFigures(f, 20);
    }

    @Test
    void baselineRunsTheSameFanoutAgainstBareJetty() throws InterruptedException {
        Figures f = Bench.run("baseline", "--url", baseline.uri().toString(), "--receivers", "20", "--duration", "3s",
                "--warmup", "500ms");
        assertFanoutFigures(f, 20);
    }

    @Test
    void rpcFlatOutAndAtARate() throws InterruptedException {
        for (List<String> rate : List.of(List.of("--rate", "0"), List.of("--rate", "500"))) {
            Figures f = Bench.run("rpc", "--url", url(single, 0), "--clients", "5", "--duration", "2s",
                    "--warmup", "300ms", rate.get(0), rate.get(1));
            System.out.println(f.line());
            assertThat(f.number("calls")).isPositive();
            assertThat(f.number("calls_per_s")).isPositive();
            assertThat(f.number("samples")).isEqualTo(f.number("calls"));
            assertThat(f.number("p50_ms")).isPositive().isLessThanOrEqualTo(f.number("p99_ms"));
            assertThat(f.number("errors")).isZero();
        }
    }

    @Test
    void connectionsReportsConnectRateAndMemoryPerConnection() throws InterruptedException {
        Figures f = Bench.run("connections", "--url", url(single, 0), "--connections", "200", "--hold", "1s",
                "--source-addresses", "2");
        System.out.println(f.line());
        assertThat(f.number("connected")).isEqualTo(200);
        assertThat(f.number("failed")).isZero();
        assertThat(f.number("sources")).isEqualTo(2);
        assertThat(f.number("connects_per_s")).isPositive();
        assertThat(f.number("srv_connections")).isGreaterThanOrEqualTo(201); // the control connection too
        assertThat(f.number("open_after_hold")).isEqualTo(200);
        // The generator shares this JVM, so the heap delta includes its own sockets: only plausibility.
        assertThat(f.values().get("heap_per_conn_kib")).isNotEqualTo("NaN");
        assertThat(f.number("srv_rss_mib")).isPositive();
    }

    @Test
    void socketIoPeerAnswersTheSameScenariosOverEngineIo() throws InterruptedException {
        assumeTrue(socketIo != null, SocketIoPeer.unavailable());
        Figures rpc = Bench.run("rpc", "--url", socketIo.url(), "--clients", "5", "--duration", "2s", "--warmup", "300ms");
        System.out.println(rpc.line());
        assertThat(rpc.number("calls")).isPositive();
        assertThat(rpc.number("samples")).isEqualTo(rpc.number("calls"));
        assertThat(rpc.number("errors")).isZero();
        assertThat(rpc.number("srv_cpu")).isPositive();

        Figures fanout = Bench.run("fanout", "--url", socketIo.url(), "--receivers", "20", "--duration", "2s",
                "--warmup", "300ms");
        assertFanoutFigures(fanout, 20);
        assertThat(fanout.number("ack_samples")).isEqualTo(fanout.number("sent"));

        Figures paced = Bench.run("fanout", "--url", socketIo.url(), "--receivers", "10", "--rate", "100",
                "--messages", "50", "--duration", "5s", "--warmup", "0s", "--topic", "paced");
        assertFanoutFigures(paced, 10);
        assertThat(paced.number("delivered")).isEqualTo(500);

        Figures idle = Bench.run("connections", "--url", socketIo.url(), "--connections", "100", "--hold", "1s");
        System.out.println(idle.line());
        assertThat(idle.number("connected")).isEqualTo(100);
        assertThat(idle.number("srv_connections")).isGreaterThanOrEqualTo(101);
        assertThat(idle.number("open_after_hold")).isEqualTo(100);
    }

    @Test
    void suitePrintsOneTableWithTheRatiosFirst() throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("--switchboard", url(single, 0), "--baseline",
                baseline.uri().toString(), "--runs", "1", "--scenarios", "rpc,paced", "--clients", "3",
                "--receivers", "10", "--rate", "50", "--duration", "1s", "--warmup", "200ms"));
        if (socketIo != null) {
            args.addAll(List.of("--socketio", socketIo.url()));
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        String table = Suite.run(args.toArray(new String[0]), new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.out.println(table);
        String header = table.lines().filter(l -> l.startsWith("| figure")).findFirst().orElseThrow();
        if (socketIo != null) {
            assertThat(header).startsWith("| figure | Switchboard ÷ Socket.IO | Switchboard ÷ bare Jetty | Switchboard |");
        } else {
            assertThat(header).startsWith("| figure | Switchboard ÷ bare Jetty | Switchboard | bare Jetty |");
        }
        assertThat(table).contains("| rpc, 3 clients, sequential echo: calls/s ↑ | ")
                .contains("| fanout to 10, 50 msg/s: end-to-end p99 ms ↓ | ")
                .contains("| same: publisher's ack p99 ms ↓ | ")
                .doesNotContain("| — |");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("# switchboard run 1: rpc ")
                .contains("# baseline run 1: fanout ");
    }

    @Test
    void suiteRefusesABadCrossnodeDuration() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Suite.run(new String[] {"--switchboard",
                        url(single, 0), "--crossnode-duration", "half a minute", "--runs", "1"},
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("crossnode-duration");
    }

    @Test
    void suiteRefusesAnUnknownScenario() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Suite.run(new String[] {"--switchboard",
                        url(single, 0), "--scenarios", "fanuot", "--runs", "1"}, new PrintStream(new ByteArrayOutputStream(),
                        true, StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fanuot");
    }

    @Test
    void unknownOptionsAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Bench.run("fanout", "--recievers", "10"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--recievers");
    }
}
