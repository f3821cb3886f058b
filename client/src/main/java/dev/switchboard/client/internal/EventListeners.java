package dev.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.client.Registration;
import dev.switchboard.client.ServerEventListener;
import dev.switchboard.protocol.Frame;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code on(event, listener)} registrations, by event name. Thread-safe. */
public final class EventListeners {
    private static final Logger LOG = LoggerFactory.getLogger(EventListeners.class);
    private final Map<String, List<Entry<?>>> byEvent = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;

    /** @param mapper converts data for typed listeners */
    public EventListeners(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * @param event the event name
     * @param type the data type; {@code JsonNode.class} for no conversion
     * @param listener the listener
     * @param <T> the data type
     * @return removes the listener
     */
    public <T> Registration add(String event, Class<T> type, ServerEventListener<T> listener) {
        Entry<T> entry = new Entry<>(type, listener);
        byEvent.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(entry);
        return () -> byEvent.computeIfPresent(event, (e, list) -> {
            list.remove(entry);
            return list.isEmpty() ? null : list;
        });
    }

    /**
     * Delivers an event to its listeners, in registration order, on the callback executor.
     *
     * @param frame the event frame
     * @param callbacks the callback executor
     */
    public void dispatch(Frame.Event frame, Callbacks callbacks) {
        List<Entry<?>> entries = byEvent.get(frame.event());
        if (entries == null || entries.isEmpty()) {
            LOG.debug("no listener for event {}", frame.event());
            return;
        }
        for (Entry<?> entry : entries) {
            callbacks.run(() -> entry.deliver(frame, mapper));
        }
    }

    private record Entry<T>(Class<T> type, ServerEventListener<T> listener) {
        void deliver(Frame.Event frame, ObjectMapper mapper) {
            T value;
            try {
                value = Json.convert(mapper, frame.data(), type);
            } catch (IllegalArgumentException e) {
                LOG.warn("cannot convert data of event {} to {}; listener skipped: {}", frame.event(),
                        type.getName(), e.getMessage());
                return;
            }
            try {
                listener.onEvent(value, frame.topic());
            } catch (Exception e) {
                LOG.warn("listener for event {} failed", frame.event(), e);
            }
        }
    }
}
