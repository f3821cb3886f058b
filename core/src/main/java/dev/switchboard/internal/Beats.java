package dev.switchboard.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * The backplane pipeline's liveness beats: their wire form, and when this node's own last came back.
 * A beat is {@code #sbbeat <kind> <node> <instance> <startedAtMillis> <address> <sentNanos>}, where the
 * instance token is unique to this process start: a beat with this node's id and another token comes from
 * a second live node with the same id. Thread-safe.
 */
final class Beats {
    /** A beat to every node. */
    static final int ALL = 0;
    /** A beat to this node's own channel. */
    static final int SELF = 1;
    private static final byte[] PREFIX = "#sbbeat ".getBytes(StandardCharsets.US_ASCII);

    /** A parsed beat. */
    record Beat(int kind, String nodeId, String instance, long startedAtMillis, String address, long sentNanos) { }

    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final long startedAtMillis = System.currentTimeMillis();
    private final String address = Hosts.address();
    private final long[] confirmedSentAt = new long[2]; // guarded by itself

    /** @return this process start's token */
    String instance() {
        return instance;
    }

    /** @return when this node started, in milliseconds since 1970 */
    long startedAtMillis() {
        return startedAtMillis;
    }

    /**
     * @param kind {@link #ALL} or {@link #SELF}
     * @param nodeId this node's id
     * @param sentNanos now
     * @return the beat's bytes
     */
    byte[] encode(int kind, String nodeId, long sentNanos) {
        return ("#sbbeat " + kind + ' ' + nodeId + ' ' + instance + ' ' + startedAtMillis + ' ' + address + ' '
                + sentNanos).getBytes(StandardCharsets.UTF_8);
    }

    /** @param m received bytes @return true when they are a beat (of any node) */
    static boolean isBeat(byte[] m) {
        return m.length > PREFIX.length && Arrays.equals(m, 0, PREFIX.length, PREFIX, 0, PREFIX.length);
    }

    /** @param m a beat's bytes @return it, or null when it is not of this version */
    static Beat parse(byte[] m) {
        String[] f = new String(m, StandardCharsets.UTF_8).split(" ");
        if (f.length != 7) {
            return null;
        }
        try {
            int kind = Integer.parseInt(f[1]);
            return kind == ALL || kind == SELF
                    ? new Beat(kind, f[2], f[3], Long.parseLong(f[4]), f[5], Long.parseLong(f[6])) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** @param b a beat @return true when this process sent it */
    boolean mine(Beat b) {
        return instance.equals(b.instance());
    }

    /** @param b one of this process's beats, back through the backplane */
    void cameBack(Beat b) {
        synchronized (confirmedSentAt) {
            if (b.sentNanos() - confirmedSentAt[b.kind()] > 0) {
                confirmedSentAt[b.kind()] = b.sentNanos();
            }
        }
    }

    /**
     * @param now now
     * @param lostAt when the connection was last lost (beats sent before do not count)
     * @param timeoutNanos how old the newest beat back may be
     * @return true when a beat of each kind, sent after {@code lostAt}, came back within the timeout
     */
    boolean alive(long now, long lostAt, long timeoutNanos) {
        synchronized (confirmedSentAt) {
            for (long sent : confirmedSentAt) {
                if (sent - lostAt <= 0 || now - sent > timeoutNanos) {
                    return false;
                }
            }
        }
        return true;
    }

    /** @param lostAt forget every beat sent before this (the node took a new id) */
    void forget(long lostAt) {
        synchronized (confirmedSentAt) {
            Arrays.fill(confirmedSentAt, lostAt);
        }
    }
}
