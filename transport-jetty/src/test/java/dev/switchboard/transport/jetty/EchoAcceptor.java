package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.switchboard.Identity;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.spi.SessionHandler;
import dev.switchboard.spi.TransportSession;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real {@link SessionAcceptor}: sends {@code {"type":"welcome","user":..}} on open, echoes every
 * text frame back, and records what the transport reported, so transport behaviour is tested without
 * the core's policies in the way.
 */
final class EchoAcceptor implements SessionAcceptor {
    /** What one connection's handler saw, in order. */
    record Opened(TransportSession session, Identity identity, BlockingQueue<String> events) {
        /** @return the next recorded handler call, e.g. {@code "text:hi"}, {@code "closed:1001"} */
        String next() {
            try {
                String e = events.poll(RecordingClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (e == null) {
                    fail("no handler event within " + RecordingClient.TIMEOUT);
                }
                return e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** Skips other events until onClosed; returns its code. */
        int awaitClosed() {
            while (true) {
                String e = next();
                if (e.startsWith("closed:")) {
                    return Integer.parseInt(e.substring(7, e.indexOf(':', 7)));
                }
            }
        }
    }

    final AtomicInteger authentications = new AtomicInteger();
    final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
    final BlockingQueue<Opened> opened = new LinkedBlockingQueue<>();
    private final Authenticator authenticator;
    private final int maxFrameBytes;

    EchoAcceptor(Authenticator authenticator, int maxFrameBytes) {
        this.authenticator = authenticator;
        this.maxFrameBytes = maxFrameBytes;
    }

    EchoAcceptor() {
        this(Authenticator.anonymous(), 1024);
    }

    @Override
    public Identity authenticate(Handshake handshake) {
        authentications.incrementAndGet();
        handshakes.add(handshake);
        return authenticator.authenticate(handshake);
    }

    @Override
    public SessionHandler open(TransportSession session, Identity identity) {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        opened.add(new Opened(session, identity, events));
        session.send(EncodedFrame.ofText("{\"type\":\"welcome\",\"user\":\"" + identity.name() + "\"}"), failure -> { });
        return new SessionHandler() {
            private boolean closed;

            @Override
            public void onText(String text) {
                events.add("text:" + text);
                session.send(EncodedFrame.ofText(text), failure -> { });
            }

            @Override
            public void onBinary(int size) {
                events.add("binary:" + size);
            }

            @Override
            public void onClosed(int code, String reason) {
                assertThat(closed).as("onClosed called twice").isFalse();
                closed = true;
                events.add("closed:" + code + ":" + reason);
            }

            @Override
            public void onError(Throwable cause) {
                events.add("error:" + cause.getClass().getSimpleName());
            }
        };
    }

    /** @return the next opened connection */
    Opened nextOpened() {
        try {
            Opened o = opened.poll(RecordingClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (o == null) {
                fail("no connection opened within " + RecordingClient.TIMEOUT);
            }
            return o;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    @Override
    public List<String> subProtocols() {
        return List.of("switchboard.v1");
    }
}
