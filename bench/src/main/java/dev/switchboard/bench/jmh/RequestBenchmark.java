package dev.switchboard.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Execution;
import dev.switchboard.Identity;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.SessionHandler;
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
 * The core's whole request path for one client request, as the bench's {@code rpc} scenario drives it
 * but without sockets: the text of an {@code echo} request goes into the connection's handler, is
 * decoded, answered by an inline handler, encoded as the reply and handed to a no-op session that
 * completes the write at once. Run with {@code -prof gc} for bytes allocated per request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestBenchmark {
    private static final String ECHO = "{\"type\":\"request\",\"id\":42,\"event\":\"echo\",\"data\":{\"ts\":987654321012,"
            + "\"pad\":\"" + "x".repeat(64) + "\"}}";

    private Switchboard board;
    private NoopSession session;
    private SessionHandler connection;

    /** Opens one connection on a node with an inline echo handler. */
    @Setup(Level.Trial)
    public void open() {
        board = Boards.quietNode();
        board.onRequest("echo", JsonNode.class, (conn, data) -> data, Execution.INLINE);
        session = new NoopSession();
        connection = board.open(session, Identity.anonymous());
    }

    /** Closes the node. */
    @TearDown(Level.Trial)
    public void close() {
        board.close();
    }

    /** @return frames written so far (keeps the work observable) */
    @Benchmark
    public long echoRequest() {
        connection.onText(ECHO);
        return session.frames();
    }
}
