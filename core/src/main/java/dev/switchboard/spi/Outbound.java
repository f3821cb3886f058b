package dev.switchboard.spi;

import java.util.Objects;

/**
 * One message of a batch the pipeline hands to {@link Backplane#publish}.
 *
 * @param target the node it is for, or null for every node
 * @param message the bytes; not modified after the call
 */
public record Outbound(String target, byte[] message) {

    /** Validates. */
    public Outbound {
        Objects.requireNonNull(message, "message");
    }

    /** @return true when the message goes to every node */
    public boolean broadcast() {
        return target == null;
    }
}
