package dev.switchboard.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Audience;
import dev.switchboard.Connection;
import dev.switchboard.Identity;
import dev.switchboard.Switchboard;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Audience resolution plus delivery in a registry of 100,000 connections (no-op sessions): the cost
 * must follow the matching connections, not the registry's size. Connection i is user {@code u-i}, in
 * organisation {@code org-(i % 1000)} (100 members each), in topic {@code t-(i % 1000)} (100 each), with
 * role {@code admin} when {@code i / 1000} is a multiple of 10 (so 10 admins per organisation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class AudienceBenchmark {
    static final int CONNECTIONS = 100_000;

    private Switchboard board;
    private final ObjectNode payload = Boards.payload();

    /** Opens the 100,000 connections and joins their topics. */
    @Setup(Level.Trial)
    public void open() {
        board = Boards.quietNode();
        for (int i = 0; i < CONNECTIONS; i++) {
            Identity.Builder id = Identity.builder("u-" + i).organisations("org-" + (i % 1000));
            id.roles((i / 1000) % 10 == 0 ? "admin" : "member");
            board.open(new NoopSession(), id.build());
        }
        for (Connection c : board.connections()) {
            String user = c.identity().userId();
            c.join("t-" + (Integer.parseInt(user.substring(2)) % 1000));
        }
        if (board.connectionCount() != CONNECTIONS) {
            throw new IllegalStateException("opened " + board.connectionCount());
        }
    }

    /** Closes the node. */
    @TearDown(Level.Trial)
    public void close() {
        board.close();
    }

    /** @return 1 recipient: one user of 100,000 */
    @Benchmark
    public int user() {
        return board.to(Audience.user("u-" + ThreadLocalRandom.current().nextInt(CONNECTIONS))).emit("e", payload);
    }

    /** @return 100 recipients: one topic */
    @Benchmark
    public int topic() {
        return board.to(Audience.topic("t-" + ThreadLocalRandom.current().nextInt(1000))).emit("e", payload);
    }

    /** @return 10 recipients: the admins of one organisation */
    @Benchmark
    public int organisationRole() {
        return board.to(Audience.organisations("org-" + ThreadLocalRandom.current().nextInt(1000)).roles("admin"))
                .emit("e", payload);
    }

    /** @return 99 recipients: a topic minus one user */
    @Benchmark
    public int topicExceptUser() {
        int t = ThreadLocalRandom.current().nextInt(1000);
        return board.to(Audience.topic("t-" + t).exceptUsers("u-" + t)).emit("e", payload);
    }
}
