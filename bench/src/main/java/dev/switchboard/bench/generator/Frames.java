package dev.switchboard.bench.generator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level reading of the few fields the generator needs from protocol v1 frames, straight from the
 * received buffer: no String, no JSON tree per message. Keys are found wherever they are in the object,
 * so the generator works against any server that speaks the protocol, whatever its field order.
 */
final class Frames {
    /** Frame kinds, by the value of {@code "type"} ({@code OPEN}: a transport-level open, Engine.IO only). */
    enum Kind { OPEN, WELCOME, EVENT, REPLY, REQUEST, ERROR, PING, OTHER }

    private static final byte[] TYPE = key("type");

    private Frames() {
    }

    /** @param name a JSON key @return the bytes of {@code "name":} */
    static byte[] key(String name) {
        return ("\"" + name + "\":").getBytes(StandardCharsets.US_ASCII);
    }

    /** @param frame one text frame (position untouched) @return its kind */
    static Kind kind(ByteBuffer frame) {
        int at = indexOf(frame, TYPE);
        if (at < 0) {
            return Kind.OTHER;
        }
        int i = skipSpaces(frame, at + TYPE.length);
        if (i + 3 >= frame.limit() || frame.get(i) != '"') {
            return Kind.OTHER;
        }
        byte c = frame.get(i + 1);
        return switch (c) {
            case 'e' -> frame.get(i + 2) == 'v' ? Kind.EVENT : Kind.ERROR;
            case 'r' -> frame.get(i + 3) == 'p' ? Kind.REPLY : Kind.REQUEST;
            case 'w' -> Kind.WELCOME;
            case 'p' -> frame.get(i + 2) == 'i' ? Kind.PING : Kind.OTHER;
            default -> Kind.OTHER;
        };
    }

    /**
     * @param frame one text frame
     * @param key a key from {@link #key(String)}
     * @return the integer value of the first occurrence of the key, or {@link Long#MIN_VALUE} if absent
     */
    static long longField(ByteBuffer frame, byte[] key) {
        int at = indexOf(frame, key);
        if (at < 0) {
            return Long.MIN_VALUE;
        }
        int i = skipSpaces(frame, at + key.length);
        boolean negative = i < frame.limit() && frame.get(i) == '-';
        if (negative) {
            i++;
        }
        long v = 0;
        int digits = 0;
        for (; i < frame.limit(); i++) {
            byte b = frame.get(i);
            if (b < '0' || b > '9') {
                break;
            }
            v = v * 10 + (b - '0');
            digits++;
        }
        if (digits == 0) {
            return Long.MIN_VALUE;
        }
        return negative ? -v : v;
    }

    /** @param frame a frame @param key a key @return true if the key occurs */
    static boolean has(ByteBuffer frame, byte[] key) {
        return indexOf(frame, key) >= 0;
    }

    /** @param frame a frame @return its text, for the rare frames worth a String (errors, diagnostics) */
    static String text(ByteBuffer frame) {
        return StandardCharsets.UTF_8.decode(frame.duplicate()).toString();
    }

    private static int skipSpaces(ByteBuffer b, int i) {
        while (i < b.limit() && b.get(i) == ' ') {
            i++;
        }
        return i;
    }

    static int indexOf(ByteBuffer b, byte[] needle) {
        int end = b.limit() - needle.length;
        byte first = needle[0];
        outer:
        for (int i = b.position(); i <= end; i++) {
            if (b.get(i) != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (b.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
