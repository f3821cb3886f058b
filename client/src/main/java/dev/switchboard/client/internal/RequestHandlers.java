package dev.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.client.Registration;
import dev.switchboard.client.ServerRequestHandler;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.WireError;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handlers for the server's {@code request} frames, one per event, and the rules that turn their
 * outcome into a {@code reply}: a value becomes {@code data}; a {@link SwitchboardException} becomes an
 * error with its code and message; any other failure becomes {@code internal} with a generic message
 * (details stay in the log); no handler means {@code unknown_event}. Thread-safe.
 */
public final class RequestHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHandlers.class);
    private final Map<String, Entry<?>> byEvent = new ConcurrentHashMap<>();
    private final FrameCodec codec;

    /** @param codec converts data both ways */
    public RequestHandlers(FrameCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * @param event the event name
     * @param type the data type; {@code JsonNode.class} for none
     * @param handler the handler, replacing any earlier one
     * @param <T> the data type
     * @return removes this handler (not a later replacement)
     */
    public <T> Registration set(String event, Class<T> type, ServerRequestHandler<T> handler) {
        Entry<T> entry = new Entry<>(type, handler);
        byEvent.put(event, entry);
        return () -> byEvent.remove(event, entry);
    }

    /**
     * Runs the request's handler on the callback executor and builds the reply.
     *
     * @param request the server's request
     * @param callbacks the callback executor
     * @return the reply to send; never fails
     */
    public CompletableFuture<Frame.Reply> answer(Frame.Request request, Callbacks callbacks) {
        Entry<?> entry = byEvent.get(request.event());
        if (entry == null) {
            return CompletableFuture.completedFuture(error(request, WireError.of(ErrorCode.UNKNOWN_EVENT,
                    "no handler for request \"" + request.event() + "\"")));
        }
        CompletableFuture<Frame.Reply> reply = new CompletableFuture<>();
        callbacks.run(() -> {
            try {
                Object result = entry.call(codec, request.data());
                if (result instanceof CompletionStage<?> stage) {
                    stage.whenComplete((value, failure) -> reply.complete(
                            failure != null ? failed(request, failure) : succeeded(request, value)));
                } else {
                    reply.complete(succeeded(request, result));
                }
            } catch (Exception | Error e) {
                reply.complete(failed(request, e));
            }
        });
        return reply;
    }

    private Frame.Reply succeeded(Frame.Request request, Object value) {
        JsonNode data;
        try {
            data = codec.toTree(value);
        } catch (IllegalArgumentException e) {
            return failed(request, e);
        }
        return new Frame.Reply(request.id(), data, null);
    }

    private static Frame.Reply failed(Frame.Request request, Throwable failure) {
        Throwable cause = Futures.unwrap(failure);
        if (cause instanceof SwitchboardException se) {
            return error(request, WireError.of(se.code(), se.getMessage() == null ? "" : se.getMessage()));
        }
        LOG.warn("handler of server request {} failed", request.event(), cause);
        return error(request, WireError.of(ErrorCode.INTERNAL, "internal error"));
    }

    private static Frame.Reply error(Frame.Request request, WireError error) {
        return new Frame.Reply(request.id(), null, error);
    }

    private record Entry<T>(Class<T> type, ServerRequestHandler<T> handler) {
        Object call(FrameCodec codec, JsonNode data) throws Exception {
            T value;
            try {
                value = Json.convert(codec.mapper(), data, type);
            } catch (IllegalArgumentException e) {
                throw new SwitchboardException(ErrorCode.BAD_REQUEST,
                        "data does not fit " + type.getSimpleName() + ": " + e.getMessage());
            }
            return handler.handle(value);
        }
    }
}
