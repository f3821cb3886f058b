package dev.switchboard.spring.boot.internal;

import dev.switchboard.Connection;
import dev.switchboard.EventListener;
import java.util.List;

/**
 * Calls every {@link EventListener} bean of the application (the Micrometer binding among them), in
 * order. A listener that throws does not keep the others from being called.
 */
public final class CompositeEventListener implements EventListener {
    private final List<EventListener> listeners;

    private CompositeEventListener(List<EventListener> listeners) {
        this.listeners = listeners;
    }

    /**
     * @param listeners the listeners, in order
     * @return {@link EventListener#NONE}, the only listener, or a composite of them
     */
    public static EventListener of(List<EventListener> listeners) {
        return switch (listeners.size()) {
            case 0 -> EventListener.NONE;
            case 1 -> listeners.get(0);
            default -> new CompositeEventListener(List.copyOf(listeners));
        };
    }

    private void each(java.util.function.Consumer<EventListener> call) {
        for (EventListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(CompositeEventListener.class).debug("EventListener {} threw", l, e);
            }
        }
    }

    @Override
    public void connectionOpened(Connection connection) {
        each(l -> l.connectionOpened(connection));
    }

    @Override
    public void connectionClosed(Connection connection, int code) {
        each(l -> l.connectionClosed(connection, code));
    }

    @Override
    public void messageRouted(String event, int localRecipients) {
        each(l -> l.messageRouted(event, localRecipients));
    }

    @Override
    public void requestTimedOut(Connection connection, String event) {
        each(l -> l.requestTimedOut(connection, event));
    }

    @Override
    public void slowConsumer(Connection connection) {
        each(l -> l.slowConsumer(connection));
    }

    @Override
    public void backplanePublishFailed(Throwable cause) {
        each(l -> l.backplanePublishFailed(cause));
    }

    @Override
    public void badFrame(Connection connection, String reason) {
        each(l -> l.badFrame(connection, reason));
    }
}
