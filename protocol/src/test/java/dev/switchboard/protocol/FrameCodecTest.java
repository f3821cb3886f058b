package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventMetadata;
import dev.switchboard.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final FrameCodec codec = new FrameCodec(mapper);

    @Test
    void decodesEveryClientFrame() {
        assertThat(codec.decode("{\"type\":\"emit\",\"event\":\"chat.send\",\"data\":\"hello\"}"))
                .isEqualTo(new Frame.Emit("chat.send", TextNode.valueOf("hello")));
        Frame.Request r = (Frame.Request) codec.decode("{\"type\":\"request\",\"id\":7,\"event\":\"echo\",\"data\":{\"x\":1}}");
        assertThat(r.id()).isEqualTo(IntNode.valueOf(7));
        assertThat(r.data().get("x").asInt()).isEqualTo(1);
        Frame.Subscribe s = (Frame.Subscribe) codec.decode(
                "{\"type\":\"subscribe\",\"id\":8,\"topic\":\"collection:items\",\"since\":{\"offset\":41,\"epoch\":\"9f2c\"}}");
        assertThat(s.topic()).isEqualTo("collection:items");
        assertThat(s.since().get("offset").asLong()).isEqualTo(41);
        assertThat(codec.decode("{\"type\":\"unsubscribe\",\"id\":9,\"topic\":\"t\"}"))
                .isEqualTo(new Frame.Unsubscribe(IntNode.valueOf(9), "t"));
        Frame.Reply reply = (Frame.Reply) codec.decode("{\"type\":\"reply\",\"id\":\"s-3\",\"data\":true}");
        assertThat(reply.id()).isEqualTo(TextNode.valueOf("s-3"));
        assertThat(reply.isError()).isFalse();
        assertThat(codec.decode("{\"type\":\"pong\"}")).isInstanceOf(Frame.Pong.class);
    }

    @Test
    void decodesErrorReplies() {
        Frame.Reply reply = (Frame.Reply) codec.decode(
                "{\"type\":\"reply\",\"id\":7,\"error\":{\"code\":\"not_found\",\"message\":\"items/1 does not exist\"}}");
        assertThat(reply.error()).isEqualTo(new WireError("not_found", "items/1 does not exist"));
        assertThat(reply.error().errorCode()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void encodesServerFramesAsInTheProtocol() throws Exception {
        assertJson(codec.encode(new Frame.Welcome("c-7f3a", "n-1", 25000, 65536)),
                "{\"type\":\"welcome\",\"connectionId\":\"c-7f3a\",\"node\":\"n-1\",\"heartbeatMs\":25000,\"maxFrameBytes\":65536}");
        assertJson(codec.encode(new Frame.Reply(IntNode.valueOf(7), null,
                        WireError.of(ErrorCode.NOT_FOUND, "items/1 does not exist"))),
                "{\"type\":\"reply\",\"id\":7,\"error\":{\"code\":\"not_found\",\"message\":\"items/1 does not exist\"}}");
        assertJson(codec.encode(new Frame.Request(TextNode.valueOf("s-3"), "confirm",
                        mapper.valueToTree(Map.of("question", "Ship now?")))),
                "{\"type\":\"request\",\"id\":\"s-3\",\"event\":\"confirm\",\"data\":{\"question\":\"Ship now?\"}}");
        assertJson(codec.encode(new Frame.Ping()), "{\"type\":\"ping\"}");
        assertJson(codec.encodeEvent("ADDED", "collection:items", 42L, Map.of("id", "1")),
                "{\"type\":\"event\",\"event\":\"ADDED\",\"topic\":\"collection:items\",\"offset\":42,\"data\":{\"id\":\"1\"}}");
        assertJson(codec.encodeEvent("chat.message", null, null, "Alice: hello"),
                "{\"type\":\"event\",\"event\":\"chat.message\",\"data\":\"Alice: hello\"}");
    }

    @Test
    void stampsAnOffsetWithoutReencodingTheData() throws Exception {
        byte[] plain = codec.encodeEvent("ADDED", "collection:items", null, Map.of("id", "1", "t", "\u00e9"));
        byte[] stamped = codec.withOffset(plain, 42);
        assertJson(stamped, "{\"type\":\"event\",\"event\":\"ADDED\",\"topic\":\"collection:items\","
                + "\"offset\":42,\"data\":{\"id\":\"1\",\"t\":\"\u00e9\"}}");
        assertThat(new String(stamped, java.nio.charset.StandardCharsets.UTF_8)).startsWith("{\"type\":\"event\",\"offset\":42,");
        // Bytes from elsewhere (another field order) are parsed and re-encoded instead.
        byte[] foreign = "{\"event\":\"x\",\"type\":\"event\",\"data\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertJson(codec.withOffset(foreign, 7), "{\"type\":\"event\",\"event\":\"x\",\"offset\":7,\"data\":1}");
        assertThatThrownBy(() -> codec.withOffset("{\"type\":\"ping\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundTripsEveryFrame() {
        Frame[] frames = {
            new Frame.Welcome("c-1", "n-1", 1000, 4096),
            new Frame.Emit("e", TextNode.valueOf("x")),
            new Frame.Request(IntNode.valueOf(1), "echo", IntNode.valueOf(5)),
            new Frame.Reply(TextNode.valueOf("s-1"), TextNode.valueOf("ok"), null),
            new Frame.Subscribe(IntNode.valueOf(2), "t", null),
            new Frame.Unsubscribe(IntNode.valueOf(3), "t"),
            new Frame.Event("e", "t", 4L, IntNode.valueOf(1)),
            new Frame.Event("e", null, null, IntNode.valueOf(1), new EventMetadata("evt-1", "/commerce",
                    Instant.parse("2026-03-04T05:06:07.123Z"), TraceContext.parse(TRACEPARENT, "congo=t61rcWkgMzE")
                    .orElseThrow())),
            new Frame.Error(WireError.of(ErrorCode.BAD_REQUEST, "bad")),
            new Frame.Ping(),
            new Frame.Pong(),
        };
        for (Frame f : frames) {
            assertThat(codec.decode(new String(codec.encode(f), StandardCharsets.UTF_8))).isEqualTo(f);
        }
    }

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void decodesTheMetadataOfAnEventFrame() {
        Frame.Event ev = (Frame.Event) codec.decode("{\"type\":\"event\",\"offset\":3,\"event\":\"order.enriched\","
                + "\"id\":\"evt-1\",\"source\":\"/commerce\",\"time\":\"2026-03-04T05:06:07Z\",\"traceparent\":\""
                + TRACEPARENT + "\",\"tracestate\":\"congo=t61rcWkgMzE\",\"topic\":\"orders\",\"data\":{}}");
        assertThat(ev.metadata().id()).isEqualTo("evt-1");
        assertThat(ev.metadata().source()).isEqualTo("/commerce");
        assertThat(ev.metadata().time()).isEqualTo(Instant.parse("2026-03-04T05:06:07Z"));
        assertThat(ev.metadata().trace().traceparent()).isEqualTo(TRACEPARENT);
        assertThat(ev.metadata().trace().tracestate()).isEqualTo("congo=t61rcWkgMzE");
        assertThat(ev.offset()).isEqualTo(3L);

        Frame.Event plain = (Frame.Event) codec.decode("{\"type\":\"event\",\"event\":\"e\",\"data\":1}");
        assertThat(plain.metadata()).isSameAs(EventMetadata.NONE);
        assertThat(new Frame.Event("e", null, null, null, null).metadata()).isSameAs(EventMetadata.NONE);
    }

    @Test
    void leavesOutMalformedEventMetadataAndStillDeliversTheEvent() {
        // A time that is not RFC 3339, a trace that is not W3C: left out, the rest kept.
        Frame.Event ev = (Frame.Event) codec.decode("{\"type\":\"event\",\"event\":\"e\",\"id\":\"evt-1\","
                + "\"time\":\"yesterday\",\"traceparent\":\"00-zz\",\"data\":1}");
        assertThat(ev.metadata()).isEqualTo(new EventMetadata("evt-1", null, null, null));
        // A source that is not a URI reference takes the id with it (as metadataOf does); the time stays.
        ev = (Frame.Event) codec.decode("{\"type\":\"event\",\"event\":\"e\",\"id\":\"evt-1\",\"source\":\"not a uri\","
                + "\"time\":\"2026-03-04T05:06:07Z\",\"data\":1}");
        assertThat(ev.metadata()).isEqualTo(new EventMetadata(null, null, Instant.parse("2026-03-04T05:06:07Z")));
        // Attributes of the wrong JSON type or empty are absent; a numeric id is no event id.
        ev = (Frame.Event) codec.decode("{\"type\":\"event\",\"event\":\"e\",\"id\":7,\"source\":{\"a\":1},"
                + "\"time\":\"\",\"traceparent\":[1],\"data\":1}");
        assertThat(ev.metadata()).isSameAs(EventMetadata.NONE);
        assertThat(ev.data().asInt()).isEqualTo(1);
    }

    @Test
    void rejectsMalformedFramesWithTypedErrors() {
        assertBad("not json", "frame is not JSON");
        assertBad("[1,2]", "frame is not a JSON object");
        assertBad("{\"event\":\"x\"}", "frame has no \"type\"");
        assertBad("{\"type\":\"teleport\"}", "unknown frame type \"teleport\"");
        assertBad("{\"type\":\"request\",\"event\":\"echo\"}", "request frame has no \"id\"");
        assertBad("{\"type\":\"request\",\"id\":{},\"event\":\"echo\"}", "\"id\" must be a number or a string");
        assertBad("{\"type\":\"emit\",\"data\":1}", "emit frame needs a string \"event\"");
    }

    @Test
    void readsTheEnvelopeInAnyFieldOrderSkippingUnknownFields() {
        Frame.Request r = (Frame.Request) codec.decode("{\"data\":[1,{\"a\":null}],\"extra\":{\"deep\":[{},[]]},"
                + "\"event\":\"echo\",\"id\":9007199254740993,\"type\":\"request\"} ");
        assertThat(r.id()).isEqualTo(com.fasterxml.jackson.databind.node.LongNode.valueOf(9007199254740993L));
        assertThat(r.event()).isEqualTo("echo");
        assertThat(r.data().toString()).isEqualTo("[1,{\"a\":null}]");
        // A repeated field counts once, the last value winning, as in a JSON tree.
        assertThat(codec.decode("{\"type\":\"emit\",\"event\":\"a\",\"event\":\"b\",\"data\":false}"))
                .isEqualTo(new Frame.Emit("b", com.fasterxml.jackson.databind.node.BooleanNode.FALSE));
        // data null is JSON null, data absent is null.
        assertThat(((Frame.Emit) codec.decode("{\"type\":\"emit\",\"event\":\"e\",\"data\":null}")).data().isNull())
                .isTrue();
        assertThat(((Frame.Emit) codec.decode("{\"type\":\"emit\",\"event\":\"e\"}")).data()).isNull();
        Frame.Event ev = (Frame.Event) codec.decode("{\"type\":\"event\",\"event\":\"e\",\"topic\":null,\"offset\":\"x\","
                + "\"data\":1.5}");
        assertThat(ev.topic()).isNull();
        assertThat(ev.offset()).isNull();
        assertThat(ev.data().asDouble()).isEqualTo(1.5);
        assertBad("{\"type\":7}", "frame has no \"type\"");
        assertBad("{\"type\":\"emit\",\"event\":[\"x\"]}", "emit frame needs a string \"event\"");
        assertBad("{\"type\":\"emit\",\"event\":\"x\",\"data\":{\"unclosed\":1}", "frame is not JSON");
        assertBad("", "frame is not a JSON object");
    }

    @Test
    void keepsTheRequestIdOfAMalformedRequestSoTheErrorCanBeItsReply() {
        assertThatThrownBy(() -> codec.decode("{\"type\":\"request\",\"id\":4}"))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.requestId()).isEqualTo(IntNode.valueOf(4)));
    }

    private void assertBad(String text, String message) {
        assertThatThrownBy(() -> codec.decode(text))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    private void assertJson(byte[] actual, String expected) throws Exception {
        JsonNode a = mapper.readTree(actual);
        assertThat(a).isEqualTo(mapper.readTree(expected));
    }
}
