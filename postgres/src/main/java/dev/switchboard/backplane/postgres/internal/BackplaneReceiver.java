package dev.switchboard.backplane.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a notification back into the published bytes, reading the attachment when it is a reference. */
public final class BackplaneReceiver {
    private static final Logger log = LoggerFactory.getLogger("dev.switchboard.backplane.postgres.PostgresBackplane");

    private BackplaneReceiver() {
    }

    /**
     * @param c the LISTEN connection, to read an attachment
     * @param n the notification
     * @param attachments reads attachments
     * @param missed counts references to attachments that are gone
     * @param rejected counts payloads not in the backplane's format
     * @return the message, or null when it cannot be had (counted in {@code missed} or {@code rejected})
     */
    public static byte[] decode(Connection c, PGNotification n, Attachments attachments, AtomicLong missed,
                         AtomicLong rejected) {
        Payloads.Decoded d;
        try {
            d = Payloads.decode(n.getParameter());
        } catch (IllegalArgumentException e) {
            rejected.incrementAndGet();
            log.warn("Ignoring a notification on {} that is not a backplane payload: {}", n.getName(), e.getMessage());
            return null;
        }
        if (!d.isReference()) {
            return d.message();
        }
        try {
            byte[] message = attachments.read(c, d.attachmentId());
            if (message == null) {
                missed.incrementAndGet();
                log.warn("Attachment {} announced on {} is already gone (deleted after attachmentMaxAge?); "
                        + "the message is skipped", d.attachmentId(), n.getName());
            }
            return message;
        } catch (SQLException e) {
            missed.incrementAndGet();
            log.warn("Reading attachment {} failed; the message is skipped: {}", d.attachmentId(), e.toString());
            return null;
        }
    }
}
