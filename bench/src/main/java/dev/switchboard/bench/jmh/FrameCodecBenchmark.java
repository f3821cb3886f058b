package dev.switchboard.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** {@link FrameCodec}: encoding the frames the server sends most, decoding those clients send most. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {
    private final FrameCodec codec = new FrameCodec(new ObjectMapper());
    private final ObjectNode payload = Boards.payload();
    private final Frame.Reply reply = new Frame.Reply(IntNode.valueOf(42), payload, null);
    private final String request = "{\"type\":\"request\",\"id\":42,\"event\":\"publish\",\"data\":{\"topic\":\"bench\","
            + "\"payload\":{\"seq\":123456,\"ts\":987654321012,\"pad\":\"" + "x".repeat(64) + "\"}}}";
    private final String event = new String(codec.encodeEvent("msg", "bench", null, payload),
            java.nio.charset.StandardCharsets.UTF_8);

    /** @return the event frame of a publish, as the router encodes it once per message */
    @Benchmark
    public byte[] encodeEvent() {
        return codec.encodeEvent("msg", "bench", null, payload);
    }

    /** @return a reply frame carrying the same payload */
    @Benchmark
    public byte[] encodeReply() {
        return codec.encode(reply);
    }

    /** @return a client's publish request, decoded */
    @Benchmark
    public Frame decodeRequest() {
        return codec.decode(request);
    }

    /** @return an event frame, decoded (what a Java client does per message) */
    @Benchmark
    public Frame decodeEvent() {
        return codec.decode(event);
    }
}
