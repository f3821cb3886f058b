package dev.switchboard.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Audience;
import dev.switchboard.Connection;
import dev.switchboard.Identity;
import dev.switchboard.Switchboard;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.spi.EncodedFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The router's encode-once fan-out to 1,000 connections on no-op sessions, against the floor: encoding
 * the same frame once and handing it to 1,000 sessions in a plain loop. The difference is what
 * resolution, per-connection queues and bookkeeping cost per message.
 */
@org.openjdk.jmh.annotations.State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FanoutBenchmark {
    static final int RECEIVERS = 1_000;
    private static final Consumer<Throwable> IGNORE = failure -> { };

    private Switchboard board;
    private final List<NoopSession> sessions = new ArrayList<>();
    private final FrameCodec codec = new FrameCodec(new ObjectMapper());
    private final ObjectNode payload = Boards.payload();

    /** Opens 1,000 connections in topic {@code bench}. */
    @Setup(Level.Trial)
    public void open() {
        board = Boards.quietNode();
        for (int i = 0; i < RECEIVERS; i++) {
            NoopSession s = new NoopSession();
            sessions.add(s);
            board.open(s, Identity.user("u-" + i));
        }
        for (Connection c : board.connections()) {
            c.join("bench");
        }
    }

    /** Closes the node. */
    @TearDown(Level.Trial)
    public void close() {
        board.close();
    }

    /** @return recipients: Switchboard's whole path, {@code to(topic).emit} */
    @Benchmark
    public int switchboard() {
        return board.to(Audience.topic("bench")).emit("msg", payload);
    }

    /** @return recipients: encode once, write the same frame to each session, nothing else */
    @Benchmark
    public int bareLoop() {
        EncodedFrame frame = EncodedFrame.ofBytes(codec.encodeEvent("msg", "bench", null, payload));
        for (NoopSession s : sessions) {
            s.send(frame, IGNORE);
        }
        return sessions.size();
    }
}
