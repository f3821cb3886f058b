package dev.switchboard.spi;

/**
 * The core's side of a {@link Backplane}: who this node is, where received messages and connection
 * states go, and the one reconnect backoff. Every method may be called on any thread (an I/O event loop
 * included), never blocks and never throws.
 */
public interface BackplaneLink {

    /** @return this node's id: the backplane subscribes to its own channel under it */
    String nodeId();

    /**
     * Hands a received message to the core, which queues it (bounded by
     * {@link BackplaneOptions#receiveQueueBytes()}) for its own delivery thread.
     *
     * @param message the bytes as published; not modified afterwards
     */
    void received(byte[] message);

    /**
     * The backplane is subscribed and can publish (again). The pipeline reports up once this node's own
     * liveness beats come back as well.
     *
     * @param detail a short description for the health detail, e.g. the server and channels
     */
    void connected(String detail);

    /**
     * The backplane lost its connection or subscription and is reconnecting; the pipeline reports down
     * and drops (and counts) what is published until it is back.
     *
     * @param detail why, for the health detail and the log
     */
    void disconnected(String detail);

    /** @return the reconnect backoff to use between attempts (one per backplane; not thread-safe) */
    ReconnectBackoff backoff();
}
