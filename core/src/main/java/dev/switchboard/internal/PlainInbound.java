package dev.switchboard.internal;

import dev.switchboard.CloseCodes;
import dev.switchboard.PlainEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound side of a plain endpoint's connection: the node's size and rate limits on the transport's
 * thread, then the endpoint's {@code onText} on the connection's serial executor, in arrival order.
 * Plain clients cannot read error frames, so every refusal is a close code with a reason: 1009 too
 * large, 1008 rate limit, 1003 binary, 1013 when the handler pool is saturated (rather than losing the
 * frame silently).
 */
final class PlainInbound implements Inbound {
    private static final Logger log = LoggerFactory.getLogger(PlainInbound.class);

    private final DefaultConnection conn;
    private final NodeContext node;
    private final PlainEndpoint endpoint;
    private final RateLimiter rateLimiter;
    private boolean refused;

    PlainInbound(DefaultConnection conn, NodeContext node, PlainEndpoint endpoint) {
        this.conn = conn;
        this.node = node;
        this.endpoint = endpoint;
        int limit = node.options().rateLimit();
        this.rateLimiter = limit == 0 ? null : new RateLimiter(limit, node.clock().millis());
    }

    @Override
    public void onText(String text) {
        if (refused) {
            return;
        }
        int max = node.options().maxFrameBytes();
        // Only count bytes when the text could be too large: a char is at most 3 UTF-8 bytes.
        if (text.length() > max / 3 && text.getBytes(StandardCharsets.UTF_8).length > max) {
            refuse("too large", CloseCodes.TOO_BIG, "frame exceeds " + max + " bytes");
            return;
        }
        if (rateLimiter != null && !rateLimiter.tryAcquire(node.clock().millis())) {
            refuse("rate limited", CloseCodes.POLICY_VIOLATION,
                    "rate limit exceeded: more than " + node.options().rateLimit() + " frames per second");
            return;
        }
        try {
            conn.inboundExecutor().execute(() -> handle(text));
        } catch (RejectedExecutionException e) {
            refuse(null, CloseCodes.TRY_AGAIN_LATER, "server is busy");
        }
    }

    @Override
    public void onBinary(int size) {
        if (!refused) {
            refuse("binary", CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported: send text");
        }
    }

    @Override
    public void cancelInFlight() {
        // Text handlers run on the serial executor and finish by themselves; nothing is pending.
    }

    private void handle(String text) {
        try {
            endpoint.onText().onText(conn, text);
        } catch (Exception e) {
            log.error("Text handler of {} failed on {}", conn.plain(), conn.id(), e);
        }
    }

    /** Frames already accepted are still handled; this one and later ones are not. @param reason for metrics, or null */
    private void refuse(String reason, int code, String closeReason) {
        refused = true;
        if (reason != null) {
            node.listener().badFrame(conn, reason);
        }
        log.debug("Closing {} ({}): {}", conn.id(), code, closeReason);
        if (code == CloseCodes.TOO_BIG) {
            conn.terminate(code, closeReason);
        } else {
            conn.close(code, closeReason);
        }
    }
}
