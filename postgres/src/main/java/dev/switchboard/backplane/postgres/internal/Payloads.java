package dev.switchboard.backplane.postgres.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The text of a backplane notification. NOTIFY payloads are text in the database encoding and shorter
 * than 8000 bytes, while backplane messages are opaque bytes of any size, so each payload is one of:
 * <ul>
 *   <li>{@code t<seq>:<text>} — the message itself, when it is valid UTF-8 without NUL and the server
 *       encoding is UTF8 (Switchboard's cluster messages are JSON, so this is the usual case);</li>
 *   <li>{@code b<seq>:<base64>} — the message in base64, otherwise;</li>
 *   <li>{@code a<seq>:<id>} — a reference to row {@code id} of the attachments table, when either form
 *       would reach the size threshold.</li>
 * </ul>
 * {@code seq} (base 36) counts per backplane instance. It keeps two equal messages published in one
 * transaction distinct, which matters because Postgres folds identical notifications of one
 * transaction into one.
 */
public final class Payloads {
    /** Postgres refuses payloads of 8000 bytes or more. */
    public static final int MAX_PAYLOAD_BYTES = 7999;

    private final int threshold;
    private final AtomicLong seq = new AtomicLong();

    /** @param threshold the largest payload, in bytes, sent inline; at most {@link #MAX_PAYLOAD_BYTES} */
    public Payloads(int threshold) {
        if (threshold < 64 || threshold > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("attachment threshold must be between 64 and " + MAX_PAYLOAD_BYTES
                    + " bytes: " + threshold);
        }
        this.threshold = threshold;
    }

    /**
     * @param message the bytes to send
     * @param utf8Server true when the server encoding is UTF8 (text payloads are allowed)
     * @return the inline payload, or null when the message must go through the attachments table
     */
    public String inline(byte[] message, boolean utf8Server) {
        String header = Long.toString(seq.incrementAndGet(), 36) + ":";
        // Rough check first: base64 never shrinks, text never exceeds its bytes.
        if (message.length + header.length() + 1 > threshold) {
            return null;
        }
        String text = utf8Server ? asText(message) : null;
        if (text != null) {
            return "t" + header + text;
        }
        String b64 = Base64.getEncoder().encodeToString(message);
        return b64.length() + header.length() + 1 <= threshold ? "b" + header + b64 : null;
    }

    /** @param attachmentId the attachment row's id @return the reference payload */
    public String reference(long attachmentId) {
        return "a" + Long.toString(seq.incrementAndGet(), 36) + ":" + attachmentId;
    }

    /** What a payload holds: the message itself, or the id of an attachment to read. */
    public record Decoded(byte[] message, long attachmentId) {
        /** @return true when the message must be read from the attachments table */
        public boolean isReference() {
            return message == null;
        }
    }

    /**
     * @param payload a notification's payload
     * @return what it holds
     * @throws IllegalArgumentException when it is not a payload of this format
     */
    public static Decoded decode(String payload) {
        int colon = payload.indexOf(':');
        if (payload.isEmpty() || colon < 2) {
            throw new IllegalArgumentException("not a Switchboard payload");
        }
        String body = payload.substring(colon + 1);
        return switch (payload.charAt(0)) {
            case 't' -> new Decoded(body.getBytes(StandardCharsets.UTF_8), 0);
            case 'b' -> new Decoded(Base64.getDecoder().decode(body), 0);
            case 'a' -> new Decoded(null, Long.parseLong(body));
            default -> throw new IllegalArgumentException("unknown payload kind '" + payload.charAt(0) + "'");
        };
    }

    private static String asText(byte[] message) {
        for (byte b : message) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
