package dev.switchboard.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.client.Registration;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RequestHandlersTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final RequestHandlers handlers = new RequestHandlers(new FrameCodec(mapper));
    private final Callbacks direct = new Callbacks(Runnable::run);

    record Question(String question) {
    }

    private Frame.Reply answer(String event, Object data) {
        Frame.Request request = new Frame.Request(TextNode.valueOf("s-3"), event, mapper.valueToTree(data));
        return handlers.answer(request, direct).join();
    }

    @Test
    void theReturnValueBecomesTheReplyData() {
        handlers.set("confirm", Question.class, q -> Map.of("answer", q.question().endsWith("?")));
        Frame.Reply reply = answer("confirm", Map.of("question", "Ship now?"));
        assertThat(reply.id()).isEqualTo(TextNode.valueOf("s-3"));
        assertThat(reply.isError()).isFalse();
        assertThat(reply.data().get("answer").asBoolean()).isTrue();
    }

    @Test
    void aReturnedFutureIsAwaited() {
        CompletableFuture<Object> later = new CompletableFuture<>();
        handlers.set("later", JsonNode.class, d -> later);
        CompletableFuture<Frame.Reply> reply = handlers.answer(
                new Frame.Request(TextNode.valueOf("s-1"), "later", null), direct);
        assertThat(reply).isNotDone();
        later.complete("done");
        assertThat(reply.join().data()).isEqualTo(TextNode.valueOf("done"));
    }

    @Test
    void aSwitchboardExceptionBecomesAnErrorWithItsCode() {
        handlers.set("get", JsonNode.class, d -> {
            throw new SwitchboardException(ErrorCode.NOT_FOUND, "no such item");
        });
        Frame.Reply reply = answer("get", 1);
        assertThat(reply.error().code()).isEqualTo("not_found");
        assertThat(reply.error().message()).isEqualTo("no such item");
    }

    @Test
    void aFutureFailingWithASwitchboardExceptionBecomesAnErrorToo() {
        handlers.set("get", JsonNode.class, d ->
                CompletableFuture.failedFuture(new SwitchboardException(ErrorCode.CONFLICT, "version 3 != 2")));
        assertThat(answer("get", 1).error().code()).isEqualTo("conflict");
    }

    @Test
    void anyOtherFailureBecomesInternalWithoutItsDetails() {
        handlers.set("boom", JsonNode.class, d -> {
            throw new IllegalStateException("database password is hunter2");
        });
        Frame.Reply reply = answer("boom", null);
        assertThat(reply.error().code()).isEqualTo("internal");
        assertThat(reply.error().message()).doesNotContain("hunter2");
    }

    @Test
    void dataThatDoesNotFitTheTypeIsABadRequest() {
        handlers.set("confirm", Question.class, q -> true);
        assertThat(answer("confirm", Map.of("nope", 1)).error().code()).isEqualTo("bad_request");
    }

    @Test
    void anEventWithoutHandlerIsUnknown() {
        Registration r = handlers.set("known", JsonNode.class, d -> true);
        assertThat(answer("unknown", null).error().code()).isEqualTo("unknown_event");
        r.remove();
        assertThat(answer("known", null).error().code()).isEqualTo("unknown_event");
    }

    @Test
    void removingAReplacedHandlerKeepsTheReplacement() {
        Registration first = handlers.set("x", JsonNode.class, d -> 1);
        handlers.set("x", JsonNode.class, d -> 2);
        first.remove();
        assertThat(answer("x", null).data().asInt()).isEqualTo(2);
    }
}
