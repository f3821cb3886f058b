package dev.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.ServerEvent;
import dev.switchboard.client.TopicListener;
import dev.switchboard.protocol.Frame;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics the user subscribed to: their listeners, whether the server accepted them (only accepted
 * topics are re-subscribed after a reconnect), and for durable topics the epoch and last offset seen, so
 * that a re-subscribe can ask for what it missed with {@code since}. Thread-safe.
 */
public final class Subscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();

    /**
     * Notes a subscribe about to be sent.
     *
     * @param topic the topic
     * @param listener a listener to add, or null
     */
    public void adding(String topic, TopicListener listener) {
        Topic t = topics.computeIfAbsent(topic, name -> new Topic());
        if (listener != null) {
            t.listeners.add(listener);
        }
    }

    /**
     * Records the server's acceptance.
     *
     * @param topic the topic
     * @param reply the subscribe reply {@code {"topic","epoch","offset","recovered"}}
     * @param resumed true when the subscribe carried {@code since} and the server recovered the gap
     */
    public void accepted(String topic, JsonNode reply, boolean resumed) {
        Topic t = topics.get(topic);
        if (t == null) {
            return; // unsubscribed meanwhile
        }
        t.confirmed = true;
        JsonNode epoch = reply == null ? null : reply.get("epoch");
        t.epoch = epoch == null || epoch.isNull() ? null : epoch.asText();
        JsonNode offset = reply == null ? null : reply.get("offset");
        // when the gap was recovered, the missed events follow the reply and move the offset themselves
        if (!resumed && offset != null && offset.canConvertToLong()) {
            t.offset = offset.asLong();
        }
    }

    /**
     * Records a refusal: a topic never accepted is forgotten with its listeners; an accepted one loses
     * only the listener that came with this subscribe.
     *
     * @param topic the topic
     * @param listener the listener added with the refused subscribe, or null
     */
    public void refused(String topic, TopicListener listener) {
        topics.computeIfPresent(topic, (name, t) -> {
            if (!t.confirmed) {
                return null;
            }
            if (listener != null) {
                t.listeners.remove(listener);
            }
            return t;
        });
    }

    /**
     * @param topic a topic to forget, with its listeners
     * @return true if it was known
     */
    public boolean remove(String topic) {
        return topics.remove(topic) != null;
    }

    /** @return the topics to re-subscribe after a reconnect */
    public Set<String> confirmed() {
        Set<String> out = new java.util.LinkedHashSet<>();
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
     * @return the {@code since} object for a re-subscribe, or null when the topic is not durable or no
     *     offset is known
     */
    public JsonNode since(String topic) {
        Topic t = topics.get(topic);
        if (t == null || t.epoch == null || t.offset == null) {
            return null;
        }
        ObjectNode since = JsonNodeFactory.instance.objectNode();
        since.put("offset", t.offset);
        since.put("epoch", t.epoch);
        return since;
    }

    /**
     * Tracks the offset of a durable event and delivers it to the topic's listeners.
     *
     * @param frame an event frame with a topic
     * @param callbacks the callback executor
     */
    public void dispatch(Frame.Event frame, Callbacks callbacks) {
        Topic t = frame.topic() == null ? null : topics.get(frame.topic());
        if (t == null) {
            return;
        }
        if (frame.offset() != null) {
            t.offset = frame.offset();
        }
        ServerEvent event = new ServerEvent(frame.event(), frame.topic(), frame.offset(), frame.data());
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

    private static final class Topic {
        final List<TopicListener> listeners = new CopyOnWriteArrayList<>();
        volatile boolean confirmed;
        volatile String epoch;
        volatile Long offset;
    }
}
