package dev.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.StreamPosition;
import dev.switchboard.client.Registration;
import dev.switchboard.client.ResubscribeListener;
import dev.switchboard.client.ServerEvent;
import dev.switchboard.client.SubscribeResult;
import dev.switchboard.client.TopicListener;
import dev.switchboard.protocol.Frame;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics the user subscribed to: their listeners, whether the server accepted them (only accepted
 * topics are re-subscribed after a reconnect), and for durable topics a {@link TopicCursor} — the
 * position a re-subscribe resumes from with {@code since}, and the duplicate filter. Thread-safe; replies
 * and events are taken in on the I/O thread in arrival order, listeners run on the callback executor.
 */
public final class Subscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final List<ResubscribeListener> resubscribeListeners = new CopyOnWriteArrayList<>();

    /**
     * Notes a subscribe about to be sent.
     *
     * @param topic the topic
     * @param listener a listener to add, or null
     * @param since a position to resume from, or null
     * @param onResubscribe a re-subscribe listener to add, or null
     * @return the {@code since} to send: {@code since} when this subscribe starts the subscription,
     *     otherwise null (an existing subscription continues from its own position)
     */
    public StreamPosition adding(String topic, TopicListener listener, StreamPosition since,
                                 ResubscribeListener onResubscribe) {
        boolean[] created = {false};
        Topic t = topics.computeIfAbsent(topic, name -> {
            created[0] = true;
            Topic fresh = new Topic();
            if (since != null) {
                fresh.cursor.startAt(since);
            }
            return fresh;
        });
        if (listener != null) {
            t.listeners.add(listener);
        }
        if (onResubscribe != null) {
            t.resubscribeListeners.add(onResubscribe);
        }
        return created[0] ? since : null;
    }

    /**
     * Records the server's acceptance of a subscribe made by the application.
     *
     * @param topic the topic
     * @param reply the subscribe reply {@code {"topic","epoch","offset","recovered"}}
     * @param since the {@code since} the subscribe carried, or null
     * @return the decoded outcome
     */
    public SubscribeResult accepted(String topic, JsonNode reply, StreamPosition since) {
        Topic t = topics.get(topic);
        if (t == null) {
            return decode(topic, reply, new TopicCursor(), since); // unsubscribed meanwhile
        }
        t.confirmed = true;
        return decode(topic, reply, t.cursor, since);
    }

    /**
     * Records the reply to an automatic re-subscription and tells the re-subscribe listeners (the topic's,
     * then the client's) on the callback executor.
     *
     * @param topic the topic
     * @param reply the reply
     * @param since the {@code since} the re-subscribe carried, or null
     * @param callbacks the callback executor
     */
    public void resubscribed(String topic, JsonNode reply, StreamPosition since, Callbacks callbacks) {
        Topic t = topics.get(topic);
        if (t == null) {
            return; // unsubscribed meanwhile
        }
        t.confirmed = true;
        SubscribeResult result = decode(topic, reply, t.cursor, since);
        LOG.debug("re-subscribed {}: position {}, recovered {}", topic, result.position(), result.recovered());
        for (ResubscribeListener l : t.resubscribeListeners) {
            callbacks.run(() -> notify(l, result));
        }
        for (ResubscribeListener l : resubscribeListeners) {
            callbacks.run(() -> notify(l, result));
        }
    }

    /**
     * Records a refusal: a topic never accepted is forgotten with its listeners; an accepted one loses
     * only the listeners that came with this subscribe.
     *
     * @param topic the topic
     * @param listener the listener added with the refused subscribe, or null
     * @param onResubscribe the re-subscribe listener added with it, or null
     */
    public void refused(String topic, TopicListener listener, ResubscribeListener onResubscribe) {
        topics.computeIfPresent(topic, (name, t) -> {
            if (!t.confirmed) {
                return null;
            }
            if (listener != null) {
                t.listeners.remove(listener);
            }
            if (onResubscribe != null) {
                t.resubscribeListeners.remove(onResubscribe);
            }
            return t;
        });
    }

    /**
     * @param topic a topic to forget, with its listeners and position
     * @return true if it was known
     */
    public boolean remove(String topic) {
        return topics.remove(topic) != null;
    }

    /** @return the topics to re-subscribe after a reconnect */
    public Set<String> confirmed() {
        Set<String> out = new LinkedHashSet<>();
        topics.forEach((name, t) -> {
            if (t.confirmed) {
                out.add(name);
            }
        });
        return out;
    }

    /** @return every known topic, accepted or not yet */
    public Set<String> all() {
        return Set.copyOf(topics.keySet());
    }

    /**
     * @param topic a topic
     * @return its current position, or null when it is not subscribed, not durable, or not known yet
     */
    public StreamPosition position(String topic) {
        Topic t = topics.get(topic);
        return t == null ? null : t.cursor.position();
    }

    /**
     * @param listener told about every re-subscription
     * @return removes it
     */
    public Registration onResubscribe(ResubscribeListener listener) {
        resubscribeListeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> resubscribeListeners.remove(listener);
    }

    /**
     * Decides whether an event is new. Events of subscribed durable topics advance the topic's position;
     * an event whose offset is not above the highest one delivered in the topic's epoch is a duplicate.
     *
     * @param frame an event frame
     * @return false when the event is a duplicate and must not be delivered to any listener
     */
    public boolean admit(Frame.Event frame) {
        Topic t = frame.topic() == null ? null : topics.get(frame.topic());
        if (t == null || t.cursor.admit(frame.offset())) {
            return true;
        }
        LOG.debug("dropping duplicate event {} at offset {} of topic {}", frame.event(), frame.offset(), frame.topic());
        return false;
    }

    /**
     * Delivers an admitted event to its topic's listeners.
     *
     * @param frame an event frame
     * @param callbacks the callback executor
     */
    public void dispatch(Frame.Event frame, Callbacks callbacks) {
        Topic t = frame.topic() == null ? null : topics.get(frame.topic());
        if (t == null) {
            return;
        }
        ServerEvent event = new ServerEvent(frame.event(), frame.topic(), frame.offset(), frame.data(), frame.metadata());
        for (TopicListener listener : t.listeners) {
            callbacks.run(() -> {
                try {
                    listener.onEvent(event);
                } catch (Exception e) {
                    LOG.warn("listener of topic {} failed", frame.topic(), e);
                }
            });
        }
    }

    /**
     * @param since a position
     * @return the wire form {@code {"offset":..,"epoch":..}}, or null for null
     */
    public static JsonNode sinceNode(StreamPosition since) {
        if (since == null) {
            return null;
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("offset", since.offset());
        node.put("epoch", since.epoch());
        return node;
    }

    private static SubscribeResult decode(String topic, JsonNode reply, TopicCursor cursor, StreamPosition since) {
        JsonNode epochNode = reply == null ? null : reply.get("epoch");
        String epoch = epochNode == null || epochNode.isNull() ? null : epochNode.asText();
        JsonNode offsetNode = reply == null ? null : reply.get("offset");
        Long latest = offsetNode != null && offsetNode.isIntegralNumber() ? offsetNode.asLong() : null;
        boolean flag = reply != null && reply.path("recovered").asBoolean(false);
        boolean recovered = cursor.onReply(since, epoch, latest, flag);
        StreamPosition position = epoch == null ? null
                : new StreamPosition(epoch, latest == null || latest < 0 ? 0 : latest);
        return new SubscribeResult(topic, position, recovered);
    }

    private static void notify(ResubscribeListener listener, SubscribeResult result) {
        try {
            listener.onResubscribe(result);
        } catch (Exception e) {
            LOG.warn("re-subscribe listener of topic {} failed", result.topic(), e);
        }
    }

    private static final class Topic {
        final List<TopicListener> listeners = new CopyOnWriteArrayList<>();
        final List<ResubscribeListener> resubscribeListeners = new CopyOnWriteArrayList<>();
        final TopicCursor cursor = new TopicCursor();
        volatile boolean confirmed;
    }
}
