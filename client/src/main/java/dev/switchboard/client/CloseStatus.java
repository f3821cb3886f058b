package dev.switchboard.client;

import java.util.Objects;

/**
 * How a {@link SwitchboardClient} ended, as given by {@link SwitchboardClient#closeFuture()}.
 *
 * <p>{@code code} is the WebSocket close code of the last connection (see
 * {@link dev.switchboard.CloseCodes}): the server's code when the server closed, the echo of
 * {@link SwitchboardClient#close(int, String)} when the client closed, {@value #ABNORMAL} when the
 * connection broke without a close frame, and {@value #POLICY_VIOLATION} when a reconnect handshake was
 * refused with HTTP 401 or 403.
 *
 * @param code the WebSocket close code
 * @param reason the close reason; empty when none was given, never {@code null}
 */
public record CloseStatus(int code, String reason) {

    /** The close code reported when a connection broke without a close frame (RFC 6455). */
    public static final int ABNORMAL = 1006;

    /** The close code reported for a policy close or a refused (401/403) handshake. */
    public static final int POLICY_VIOLATION = 1008;

    /** Requires a non-null reason. */
    public CloseStatus {
        Objects.requireNonNull(reason, "reason");
    }
}
