package dev.switchboard.mongodb.internal;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import java.util.Locale;
import java.util.Set;

/** Classifies the server errors a change stream can end with. */
final class ChangeStreamErrors {
    /** "The $changeStream stage is only supported on replica sets". */
    static final int ONLY_REPLICA_SETS = 40573;
    /** ChangeStreamHistoryLost, ChangeStreamFatalError, InvalidResumeToken, CappedPositionLost. */
    private static final Set<Integer> TOKEN_LOST = Set.of(286, 280, 260, 136);

    private ChangeStreamErrors() {
    }

    /** @return true when the resume point is gone from the oplog or the token is not accepted */
    static boolean isResumeTokenLost(MongoException e) {
        if (TOKEN_LOST.contains(e.getCode())) {
            return true;
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return e instanceof MongoCommandException && (m.contains("resume token") || m.contains("resume point")
                || m.contains("no longer be in the oplog"));
    }

    /**
     * @param e a failure of opening a change stream
     * @param standaloneServer whether the driver sees a standalone server
     * @return true when the server cannot run change streams at all
     */
    static boolean isNoChangeStreams(MongoException e, boolean standaloneServer) {
        return e.getCode() == ONLY_REPLICA_SETS
                || String.valueOf(e.getMessage()).contains("only supported on replica sets")
                || (standaloneServer && e instanceof MongoCommandException);
    }
}
