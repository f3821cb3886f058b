package dev.switchboard.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/**
 * How the errors of a real MongoDB, which mongo-java-server does not produce, are classified: these
 * decide between resuming, restarting from now (a gap) and refusing a standalone server.
 */
class ChangeStreamErrorsTest {

    private static MongoCommandException error(int code, String message) {
        return new MongoCommandException(BsonDocument.parse("{ok: 0, code: " + code + ", errmsg: '" + message + "'}"),
                new ServerAddress());
    }

    @Test
    void aResumePointGoneFromTheOplogIsALostToken() {
        assertThat(ChangeStreamErrors.isResumeTokenLost(error(286, "Resume of change stream was not possible, as "
                + "the resume point may no longer be in the oplog"))).isTrue();
        assertThat(ChangeStreamErrors.isResumeTokenLost(error(280, "ChangeStreamFatalError"))).isTrue();
        assertThat(ChangeStreamErrors.isResumeTokenLost(error(260, "Invalid resume token"))).isTrue();
        assertThat(ChangeStreamErrors.isResumeTokenLost(error(13, "not authorized"))).isFalse();
        assertThat(ChangeStreamErrors.isResumeTokenLost(
                new MongoSocketReadException("Prematurely reached end of stream", new ServerAddress()))).isFalse();
    }

    @Test
    void aStandaloneServerCannotRunChangeStreams() {
        assertThat(ChangeStreamErrors.isNoChangeStreams(
                error(40573, "The $changeStream stage is only supported on replica sets"), false)).isTrue();
        assertThat(ChangeStreamErrors.isNoChangeStreams(error(-1, "Unknown error: null"), true)).isTrue();
        assertThat(ChangeStreamErrors.isNoChangeStreams(error(13, "not authorized"), false)).isFalse();
        assertThat(ChangeStreamErrors.isNoChangeStreams(
                new MongoSocketReadException("reset", new ServerAddress()), true)).isFalse();
    }
}
