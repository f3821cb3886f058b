package dev.switchboard.emit;

import java.util.Objects;

/**
 * What {@link EmitService#accept} did with a message. Either way the message counts as accepted.
 *
 * @param id the message's id
 * @param duplicate true when a message with this id was accepted within the de-duplication window, so
 *     this one was not delivered again
 * @param localRecipients how many connections on this node it was queued for (0 for a duplicate; other
 *     nodes are not counted)
 */
public record EmitResult(String id, boolean duplicate, int localRecipients) {

    /** Requires an id. */
    public EmitResult {
        Objects.requireNonNull(id, "id");
    }
}
