package dev.switchboard.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.ConnectionClosedException;
import dev.switchboard.ErrorCode;
import dev.switchboard.RequestTimeoutException;
import dev.switchboard.SwitchboardException;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.WireError;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final PendingRequests pending = new PendingRequests(scheduler);

    @Test
    void aReplyCompletesTheRequestWithTheSameIdAndCancelsItsTimer() {
        PendingRequests.Pending a = pending.register("a", Duration.ofSeconds(1));
        PendingRequests.Pending b = pending.register("b", Duration.ofSeconds(1));
        assertThat(a.id()).isNotEqualTo(b.id());

        assertThat(pending.complete(new Frame.Reply(IntNode.valueOf((int) b.id()), TextNode.valueOf("B"), null))).isTrue();

        assertThat(b.future()).isCompletedWithValue(TextNode.valueOf("B"));
        assertThat(a.future()).isNotDone();
        assertThat(scheduler.pendingDelays()).hasSize(1);
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void aReplyWithoutDataCompletesWithJsonNull() {
        PendingRequests.Pending a = pending.register("a", Duration.ofSeconds(1));
        pending.complete(new Frame.Reply(a.idNode(), null, null));
        assertThat(a.future()).isCompletedWithValue(NullNode.getInstance());
    }

    @Test
    void anErrorReplyFailsWithTheTypedCode() {
        PendingRequests.Pending a = pending.register("get", Duration.ofSeconds(1));
        pending.complete(new Frame.Reply(a.idNode(), null, WireError.of(ErrorCode.NOT_FOUND, "items/1 does not exist")));

        assertThat(a.future()).failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(SwitchboardException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e).hasMessage("items/1 does not exist");
                });
    }

    @Test
    void aRequestWithoutReplyTimesOutAtItsDeadlineAndALateReplyIsIgnored() {
        PendingRequests.Pending a = pending.register("slow", Duration.ofMillis(500));
        scheduler.advance(Duration.ofMillis(499));
        assertThat(a.future()).isNotDone();

        scheduler.advance(Duration.ofMillis(1));

        assertThat(a.future()).failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(RequestTimeoutException.class).withMessageContaining("slow");
        assertThat(pending.complete(new Frame.Reply(a.idNode(), TextNode.valueOf("late"), null))).isFalse();
        assertThat(pending.size()).isZero();
    }

    @Test
    void unknownAndNonNumericIdsMatchNothing() {
        pending.register("a", Duration.ofSeconds(1));
        assertThat(pending.complete(new Frame.Reply(IntNode.valueOf(99), null, null))).isFalse();
        assertThat(pending.complete(new Frame.Reply(TextNode.valueOf("s-1"), null, null))).isFalse();
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void failSentOnFailsOnlyTheRequestsWrittenToThatConnection() {
        Object lost = new Object();
        PendingRequests.Pending sent = pending.register("a", Duration.ofSeconds(1));
        sent.sentOn(lost);
        PendingRequests.Pending queued = pending.register("b", Duration.ofSeconds(1));

        assertThat(pending.failSentOn(lost, () -> new ConnectionClosedException("gone"))).isEqualTo(1);

        assertThat(sent.future()).isCompletedExceptionally();
        assertThat(queued.future()).isNotDone();
        assertThat(pending.failAll(() -> new ConnectionClosedException("closed"))).isEqualTo(1);
        assertThat(queued.future()).isCompletedExceptionally();
        assertThat(scheduler.pendingDelays()).isEmpty();
    }
}
