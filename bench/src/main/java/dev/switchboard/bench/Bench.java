package dev.switchboard.bench;

import dev.switchboard.bench.chaos.ChaosOptions;
import dev.switchboard.bench.chaos.ChaosReport;
import dev.switchboard.bench.chaos.ChaosRun;
import dev.switchboard.bench.generator.BenchOptions;
import dev.switchboard.bench.generator.ConnectionsScenario;
import dev.switchboard.bench.generator.FanoutScenario;
import dev.switchboard.bench.generator.Figures;
import dev.switchboard.bench.generator.RpcScenario;
import dev.switchboard.bench.server.BaselineServer;
import dev.switchboard.bench.server.BenchServer;
import java.util.Arrays;

/**
 * The bench's one entry point (the jar's Main-Class). Scenarios print ONE line of figures per run:
 *
 * <pre>
 * java -cp bench/target/switchboard-bench.jar dev.switchboard.bench.Bench fanout --url ws://127.0.0.1:8080/ws \
 *      --receivers 1000 --messages 20000 --rate 0 --duration 10s
 * </pre>
 *
 * <p>Commands: {@code fanout}, {@code crossnode} (fanout with {@code --publish-url} on another node),
 * {@code baseline} (fanout against {@link BaselineServer}), {@code rpc}, {@code connections} — see
 * {@link BenchOptions} for the options; {@code server} ({@link BenchServer}), {@code baseline-server}
 * ({@link BaselineServer}); {@code suite} (the scenarios against several servers, side by side: {@link Suite});
 * {@code jmh} (the JMH suite, {@code org.openjdk.jmh.Main}'s options); {@code chaos} (the fault-injection
 * soak, {@link ChaosRun}; options in {@link ChaosOptions}; exits 1 when its checker finds a violation).
 */
public final class Bench {

    private Bench() {
    }

    /**
     * Runs one scenario in this JVM.
     *
     * @param scenario fanout, crossnode, baseline, rpc or connections
     * @param args its options
     * @return the figures
     * @throws InterruptedException when interrupted
     * @throws IllegalArgumentException for an unknown scenario or option
     */
    public static Figures run(String scenario, String... args) throws InterruptedException {
        BenchOptions o = BenchOptions.parse(scenario, new Args(args));
        return switch (scenario) {
            case "fanout", "baseline" -> FanoutScenario.run(o);
            case "crossnode" -> {
                if (o.publishUrl().equals(o.urls().get(0))) {
                    throw new IllegalArgumentException("crossnode needs --publish-url on another node than --url");
                }
                yield FanoutScenario.run(o);
            }
            case "rpc" -> RpcScenario.run(o);
            case "connections" -> ConnectionsScenario.run(o);
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
    }

    /**
     * @param argv a command and its options
     * @throws Exception when the command fails
     */
    public static void main(String[] argv) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // The chaos soak kills PostgreSQL under zonky's feet; zonky's complaint that it cannot stop it is noise.
        System.setProperty("org.slf4j.simpleLogger.log.io.zonky.test.db.postgres.embedded.EmbeddedPostgres", "off");
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("help")) {
            System.out.println("usage: Bench fanout|crossnode|baseline|rpc|connections [--option value]...\n"
                    + "       Bench suite --switchboard URL --socketio URL --baseline URL [--runs 3 ...]\n"
                    + "       Bench server|baseline-server|jmh [options]\n"
                    + "       Bench chaos --backplane redis|postgres|mongo|nats|kafka [--duration 30m] [--seed N] ...\n"
                    + "see docs/benchmarks.md");
            return;
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        switch (argv[0]) {
            case "server" -> BenchServer.main(rest);
            case "baseline-server" -> BaselineServer.main(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "chaos" -> {
                ChaosOptions options;
                try {
                    options = ChaosOptions.parse(new Args(rest));
                } catch (IllegalArgumentException e) {
                    System.err.println("bench: " + e.getMessage());
                    System.exit(2);
                    return;
                }
                ChaosReport report = ChaosRun.run(options, System.out);
                System.out.print(report.text());
                System.exit(report.passed() ? 0 : 1);
            }
            case "suite" -> {
                try {
                    Suite.run(rest, System.out);
                } catch (IllegalArgumentException e) {
                    System.err.println("bench: " + e.getMessage());
                    System.exit(2);
                }
            }
            default -> {
                try {
                    System.out.println(run(argv[0], rest).line());
                } catch (IllegalArgumentException e) {
                    System.err.println("bench: " + e.getMessage());
                    System.exit(2);
                }
            }
        }
        // Jetty's and the core's threads are daemons or stopped; exit promptly either way.
        System.exit(0);
    }
}
