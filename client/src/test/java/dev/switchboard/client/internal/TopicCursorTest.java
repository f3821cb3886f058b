package dev.switchboard.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.StreamPosition;
import org.junit.jupiter.api.Test;

/** The position and duplicate rules of one durable subscription, without a connection. */
class TopicCursorTest {
    private final TopicCursor cursor = new TopicCursor();

    @Test
    void aReplyWithoutSinceStartsAtTheLatestOffsetAndStillDeliversTheLastValue() {
        assertThat(cursor.onReply(null, "e1", 41L, false)).isFalse();
        assertThat(cursor.position()).isEqualTo(new StreamPosition("e1", 41));

        assertThat(cursor.admit(41L)).as("a last-value topic's message right after the reply").isTrue();
        assertThat(cursor.admit(41L)).as("the same offset again").isFalse();
        assertThat(cursor.admit(42L)).isTrue();
        assertThat(cursor.position()).isEqualTo(new StreamPosition("e1", 42));
    }

    @Test
    void anOffsetGoingDownMeansTheHistoryStartedOverAndIsDelivered() {
        cursor.onReply(null, "e1", 41L, false);
        assertThat(cursor.admit(42L)).isTrue();
        // The server never repeats or reorders: offset 1 after 42 is a new epoch's first message.
        assertThat(cursor.admit(1L)).isTrue();
        assertThat(cursor.admit(1L)).as("the same offset again").isFalse();
        assertThat(cursor.admit(2L)).isTrue();
        // The new epoch is not known yet: resuming with the old one gets recovered:false, so the app refetches.
        assertThat(cursor.position()).isEqualTo(new StreamPosition("e1", 2));
    }

    @Test
    void aRecoveredReplyKeepsTheSincePositionForTheReplayToAdvance() {
        cursor.startAt(new StreamPosition("e1", 7));
        assertThat(cursor.position()).isEqualTo(new StreamPosition("e1", 7));

        assertThat(cursor.onReply(new StreamPosition("e1", 7), "e1", 10L, true)).isTrue();
        assertThat(cursor.position()).as("not the reply's latest 10").isEqualTo(new StreamPosition("e1", 7));
        assertThat(cursor.admit(7L)).isFalse();
        assertThat(cursor.admit(8L)).isTrue();
        assertThat(cursor.position()).isEqualTo(new StreamPosition("e1", 8));
    }

    @Test
    void anotherEpochRestartsTheOffsets() {
        cursor.onReply(null, "e1", 0L, false);
        cursor.admit(7L);

        assertThat(cursor.onReply(new StreamPosition("e1", 7), "e2", 3L, false)).isFalse();

        assertThat(cursor.position()).isEqualTo(new StreamPosition("e2", 3));
        assertThat(cursor.admit(4L)).as("below the old epoch's 7, but new").isTrue();
    }

    @Test
    void anotherEpochAtTheSameOffsetStillDeliversItsLastValue() {
        cursor.onReply(null, "e1", 0L, false);
        cursor.admit(10L);

        cursor.onReply(new StreamPosition("e1", 10), "e2", 10L, false);

        assertThat(cursor.admit(10L)).as("offset 10 of e2 is not offset 10 of e1").isTrue();
        assertThat(cursor.admit(10L)).isFalse();
    }

    @Test
    void recoveredIsOnlyTrueWithSinceAndTheSameEpoch() {
        assertThat(cursor.onReply(null, "e1", 5L, true)).as("no since was sent").isFalse();
        assertThat(new TopicCursor().onReply(new StreamPosition("e1", 5), "e2", 5L, true)).isFalse();
    }

    @Test
    void aServerBehindWhatWasDeliveredIsTrustedRatherThanLosingLiveEvents() {
        cursor.startAt(new StreamPosition("e1", 500));
        cursor.onReply(new StreamPosition("e1", 500), "e1", 100L, false);
        assertThat(cursor.position()).isEqualTo(new StreamPosition("e1", 100));
        assertThat(cursor.admit(101L)).isTrue();
    }

    @Test
    void aResumeAnsweredWithoutHistoryKeepsThePositionForTheNextResume() {
        // Found by the chaos soak: a resume that met the history store down forgot the position, so the
        // next resume had no `since` and was never recovered, although the history was back.
        cursor.onReply(null, "e1", 5L, false);
        cursor.admit(6L);
        assertThat(cursor.onReply(new StreamPosition("e1", 6), null, null, false)).isFalse();
        assertThat(cursor.position()).isEqualTo(new StreamPosition("e1", 6));
        assertThat(cursor.admit(9L)).as("live events continue, the missed ones were not replayed").isTrue();
        assertThat(cursor.position()).isEqualTo(new StreamPosition("e1", 9));
        assertThat(cursor.onReply(new StreamPosition("e1", 9), "e1", 12L, true)).isTrue();
    }

    @Test
    void aTopicThatIsNotDurableHasNoPositionAndNoFilter() {
        cursor.startAt(new StreamPosition("e1", 5));
        cursor.onReply(new StreamPosition("e1", 5), null, null, false);
        assertThat(cursor.position()).isNull();
        assertThat(cursor.admit(null)).isTrue();
        assertThat(cursor.admit(null)).isTrue();
    }
}
