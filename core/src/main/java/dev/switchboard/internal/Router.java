package dev.switchboard.internal;

import dev.switchboard.Audience;
import dev.switchboard.Emitter;
import dev.switchboard.EventListener;
import dev.switchboard.EventMetadata;
import dev.switchboard.PreparedMessage;
import dev.switchboard.Retention;
import dev.switchboard.SendResult;
import dev.switchboard.StreamPosition;
import dev.switchboard.TraceContext;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Tracing;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers messages to an {@link Audience}: encodes the event frame once, writes the same bytes to
 * every matching connection here, and publishes one envelope carrying them to the other nodes; in the
 * other direction, takes the envelopes other nodes publish and delivers their frames here. Durable
 * topics go through {@link DurableTopics} (history first, then offset order).
 */
final class Router {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final BackplanePipeline backplane;
    private final DefaultRegistry registry;
    private final DurableTopics durable;
    private final FrameCodec codec;
    private final ClusterCodec clusterCodec;
    private final EventListener listener;
    private final AtomicLong rejected;
    private final Consumer<ClusterMessage> control;
    private final Tracing tracing;

    /**
     * @param control receives the cluster messages of other nodes that are not routed messages
     *     (heartbeats, queries, replies), on the backplane pipeline's delivery thread
     * @param tracing spans around routing (only for events that carry a trace context)
     */
    Router(BackplanePipeline backplane, DefaultRegistry registry, DurableTopics durable, FrameCodec codec,
           ClusterCodec clusterCodec, EventListener listener, AtomicLong rejected, Consumer<ClusterMessage> control,
           Tracing tracing) {
        this.tracing = tracing;
        this.backplane = backplane;
        this.registry = registry;
        this.durable = durable;
        this.codec = codec;
        this.clusterCodec = clusterCodec;
        this.listener = listener;
        this.rejected = rejected;
        this.control = control;
    }

    Emitter to(Audience audience) {
        return new DefaultEmitter(Objects.requireNonNull(audience, "audience"), false);
    }

    private final class DefaultEmitter implements Emitter {
        private final Audience audience;
        private final boolean localOnly;

        DefaultEmitter(Audience audience, boolean localOnly) {
            this.audience = audience;
            this.localOnly = localOnly;
        }

        @Override
        public int emit(String event, Object data, EventMetadata metadata) {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(metadata, "metadata");
            // The event belongs to the trace it names, else to the one of the handler emitting it, if any.
            TraceContext parent = metadata.trace() != null ? metadata.trace() : TraceContext.current().orElse(null);
            if (parent == null) {
                return route(event, data, metadata);
            }
            try (TraceScope scope = TraceScope.open(tracing, Tracing.Kind.PUBLISH, event, parent)) {
                return route(event, data, metadata.withTrace(scope.context()));
            }
        }

        private int route(String event, Object data, EventMetadata metadata) {
            String topic = singleTopic(audience);
            Retention retention = localOnly || !audience.exceptConnections().isEmpty()
                    || !audience.exceptUsers().isEmpty() ? null : durable.retention(topic);
            if (retention != null) {
                return emitDurable(event, topic, retention, data, metadata);
            }
            byte[] frame = codec.encodeEvent(event, topic, null, data, metadata);
            int local = deliverLocally(audience, EncodedFrame.ofBytes(frame));
            if (!localOnly && !backplane.isLocalOnly()) {
                publish(new ClusterMessage.Routed(backplane.nodeId(), audience, frame, false, null, metadata.trace()));
            }
            listener.messageRouted(event, local);
            return local;
        }

        /** Appends to the history, then delivers in offset order here and routes to the other nodes. */
        private int emitDurable(String event, String topic, Retention retention, Object data,
                                EventMetadata metadata) {
            DurableTopics.Appended a = durable.append(topic, retention,
                    codec.encodeEvent(event, topic, null, data, metadata));
            StreamPosition p = a.position();
            int local = durable.deliver(topic, p.epoch(), p.offset(), EncodedFrame.ofBytes(a.frame()))
                    ? registry.topicSize(topic) : 0;
            if (!backplane.isLocalOnly()) {
                publish(new ClusterMessage.Routed(backplane.nodeId(), audience, a.frame(), false,
                        new ClusterMessage.Durable(topic, p.epoch(), p.offset()), metadata.trace()));
            }
            listener.messageRouted(event, local);
            return local;
        }

        @Override
        public PreparedMessage prepare(String event, Object data) {
            Objects.requireNonNull(event, "event");
            String topic = singleTopic(audience);
            if (durable.retention(topic) != null) {
                throw new UnsupportedOperationException("a prepared message cannot go to durable topic \""
                        + topic + "\": its offset is assigned when it is published");
            }
            byte[] frame = codec.encodeEvent(event, topic, null, data);
            return new PreparedMessage(event, backplane.signer().sign(
                    clusterCodec.encode(new ClusterMessage.Routed(backplane.nodeId(), audience, frame, true, null))));
        }

        @Override
        public Emitter local() {
            return new DefaultEmitter(audience, true);
        }
    }

    /** @return the topic when the audience is exactly one topic (event frames then name it), else null */
    private static String singleTopic(Audience audience) {
        return audience.topics().size() == 1 && audience.users().isEmpty()
                && audience.connections().isEmpty() && audience.organisations().isEmpty()
                && audience.roles().isEmpty() && !audience.broadcast()
                ? audience.topics().iterator().next() : null;
    }

    private int deliverLocally(Audience audience, EncodedFrame frame) {
        int n = 0;
        for (DefaultConnection c : registry.resolve(audience)) {
            if (c.send(frame) == SendResult.QUEUED) {
                n++;
            }
        }
        return n;
    }

    /** Publishes a cluster message to every other node; a failure is counted and logged, never thrown. */
    void publish(ClusterMessage message) {
        try {
            backplane.publish(clusterCodec.encode(message));
        } catch (RuntimeException e) {
            listener.backplanePublishFailed(e);
            log.warn("Backplane publish failed: {}", e.toString());
        }
    }

    /** Publishes a cluster message to one node; a failure is counted and logged, never thrown. */
    void publishTo(String node, ClusterMessage message) {
        try {
            backplane.publish(node, clusterCodec.encode(message));
        } catch (RuntimeException e) {
            listener.backplanePublishFailed(e);
            log.debug("Backplane publish to {} failed: {}", node, e.toString());
        }
    }

    /**
     * Takes what the backplane delivers; runs on the backplane pipeline's delivery thread and never throws.
     *
     * @param bytes the message, its signature (if any) verified and removed
     * @param trusted false for an unsigned message admitted while the cluster moves to signing: it may be
     *     routed to clients, but it cannot announce a node, ask a cluster query or answer one
     */
    void onBackplaneMessage(byte[] bytes, boolean trusted) {
        ClusterMessage message;
        try {
            message = clusterCodec.decode(bytes);
        } catch (ClusterCodec.UnsupportedVersionException e) {
            rejected.incrementAndGet();
            log.warn("Ignoring a backplane message this node does not speak: {}", e.getMessage());
            return;
        } catch (Exception e) {
            rejected.incrementAndGet();
            log.warn("Ignoring a backplane message that is not a cluster message: {}", e.toString());
            return;
        }
        boolean echo = message instanceof ClusterMessage.Routed r && r.echo();
        if (backplane.nodeId().equals(message.from()) && !echo) {
            return;
        }
        if (!trusted && !(message instanceof ClusterMessage.Routed)) {
            backplane.signer().drop("an unsigned " + message.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + " message (membership and cluster queries need a signature)");
            return;
        }
        if (message instanceof ClusterMessage.Routed r) {
            if (r.trace() != null && tracing != Tracing.NONE) {
                try (TraceScope ignored = TraceScope.open(tracing, Tracing.Kind.DELIVER, "deliver", r.trace())) {
                    deliver(r);
                }
            } else {
                deliver(r);
            }
        } else {
            control.accept(message);
        }
    }

    private void deliver(ClusterMessage.Routed r) {
        {
            ClusterMessage.Durable d = r.durable();
            if (d != null && durable.retention(d.topic()) != null) {
                // Only through the topic's stream: it orders by offset, and new members' cursors hold
                // messages back until their recovery is sent. No stream: nobody here listens.
                durable.deliver(d.topic(), d.epoch(), d.offset(), EncodedFrame.ofBytes(r.frame()));
            } else {
                deliverLocally(r.audience(), EncodedFrame.ofBytes(r.frame()));
            }
        }
    }
}
