package dev.switchboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.Connection;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventHandler;
import dev.switchboard.RequestHandler;
import dev.switchboard.SwitchboardException;
import java.util.Objects;

/**
 * A registered emit or request handler, with the conversion of its data to the handler's type.
 *
 * @param <T> the data type
 */
final class Handler<T> {
    private final String event;
    private final Class<T> type;
    private final EventHandler<T> onEmit;
    private final RequestHandler<T> onRequest;
    private final boolean inline;
    private final ObjectMapper mapper;

    Handler(String event, Class<T> type, EventHandler<T> onEmit, RequestHandler<T> onRequest, boolean inline,
            ObjectMapper mapper) {
        this.event = event;
        this.type = Objects.requireNonNull(type, "type");
        this.onEmit = onEmit;
        this.onRequest = onRequest;
        this.inline = inline;
        this.mapper = mapper;
    }

    /** @return true when the handler runs on the thread that read the request */
    boolean inline() {
        return inline;
    }

    void invokeEmit(Connection c, JsonNode data) throws Exception {
        onEmit.handle(c, convert(data));
    }

    Object invokeRequest(Connection c, JsonNode data) throws Exception {
        return onRequest.handle(c, convert(data));
    }

    private T convert(JsonNode data) {
        JsonNode d = data == null ? NullNode.getInstance() : data;
        if (type == JsonNode.class) {
            return type.cast(d);
        }
        try {
            return mapper.treeToValue(d, type);
        } catch (Exception e) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST,
                    "data of " + dev.switchboard.protocol.WireError.quote(event) + " is not a valid " + type.getSimpleName());
        }
    }
}
