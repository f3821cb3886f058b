package dev.switchboard.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The checker on hand-written logs: each rule it enforces must fail on the log that breaks it, and a
 * log that keeps the guarantees must pass. A checker that cannot fail proves nothing.
 */
class CheckerTest {
    private static final String ORDERS = "chaos.d.orders";
    private static final String PRICE = "chaos.lv.price";
    private static final String CHAT = "chaos.p.chat";
    private final AtomicLong clock = new AtomicLong(1000);
    private final Checker checker = new Checker(List.of(new TopicKind(ORDERS, true, 5), new TopicKind(PRICE, true, 1),
            new TopicKind(CHAT, false, 0)), clock::get);

    private void events(String sub, String topic, long from, long to) {
        for (long o = from; o <= to; o++) {
            checker.published(topic, "pub1", o, "acked");
            checker.event(sub, topic, o, "pub1", o, "n1");
        }
    }

    private List<String> kinds(Checker.Findings f) {
        return f.violations().stream().map(Violation::kind).toList();
    }

    private TopicTally tally(Checker.Findings f, String topic) {
        return f.topics().stream().filter(t -> t.kind.name().equals(topic)).findFirst().orElseThrow();
    }

    @Test
    void aCleanResumeWithEveryMissedEventPasses() {
        checker.reply("j1", ORDERS, "e1", 0L, false, false);
        events("j1", ORDERS, 1, 3);
        checker.reply("j1", ORDERS, "e1", 5L, true, true);    // away while 4 and 5 were published
        events("j1", ORDERS, 4, 7);
        Checker.Findings f = checker.finish(Set.of("j1"));
        assertThat(f.violations()).isEmpty();
        assertThat(tally(f, ORDERS).recovered).isEqualTo(1);
        assertThat(tally(f, ORDERS).delivered).isEqualTo(7);
    }

    @Test
    void aGapInALiveStreamIsAViolationWithEvidence() {
        checker.reply("j1", ORDERS, "e1", 0L, false, false);
        events("j1", ORDERS, 1, 2);
        checker.event("j1", ORDERS, 4L, "pub1", 4, "n2");
        Checker.Findings f = checker.finish(Set.of());
        assertThat(kinds(f)).containsExactly("gap");
        assertThat(tally(f, ORDERS).gapMessages).isEqualTo(1);
        assertThat(f.violations().get(0).evidence()).last().asString().contains("offset=4");
    }

    @Test
    void aLiveGapLongerThanTheHistoryCouldHoldIsNotAViolation() {
        checker.reply("j1", PRICE, "e1", 0L, false, false);
        checker.event("j1", PRICE, 1L, "pub1", 1, "n1");
        checker.event("j1", PRICE, 3L, "pub1", 3, "n1");          // a last-value history never holds 2 then
        Checker.Findings f = checker.finish(Set.of());
        assertThat(f.violations()).isEmpty();
        assertThat(tally(f, PRICE).notRecovered).containsKey("live gap: longer than the window");
    }

    @Test
    void anOffsetNobodyEverReceivedIsAHoleOnlyWhereTheHistoryCanHaveHoles() {
        for (boolean holesPossible : new boolean[] {false, true}) {
            Checker c = new Checker(List.of(new TopicKind(ORDERS, true, 5)), clock::get, holesPossible);
            c.reply("j1", ORDERS, "e1", 0L, false, false);
            c.reply("j2", ORDERS, "e1", 0L, false, false);
            for (long o : new long[] {1, 2, 4}) {                  // offset 3 never had a message
                c.event("j1", ORDERS, o, "pub1", o, "n1");
            }
            c.event("j2", ORDERS, 1L, "pub1", 1, "n1");
            c.reply("j2", ORDERS, "e1", 4L, false, true);          // a resume across the hole
            Checker.Findings f = c.finish(Set.of());
            if (holesPossible) {
                assertThat(f.violations()).isEmpty();
                assertThat(f.holes()).isEqualTo(1);
            } else {
                assertThat(kinds(f)).containsExactlyInAnyOrder("gap", "unjustified-not-recovered");
            }
        }
        Checker c = new Checker(List.of(new TopicKind(ORDERS, true, 5)), clock::get, true);
        c.reply("j1", ORDERS, "e1", 0L, false, false);
        c.reply("j2", ORDERS, "e1", 0L, false, false);
        for (long o = 1; o <= 3; o++) {
            c.event("j1", ORDERS, o, "pub1", o, "n1");
        }
        c.event("j2", ORDERS, 1L, "pub1", 1, "n1");
        c.event("j2", ORDERS, 3L, "pub1", 3, "n1");                // 2 reached j1: a real gap, not a hole
        assertThat(kinds(c.finish(Set.of()))).containsExactly("gap");
    }

    @Test
    void recoveredTrueThatDoesNotContinueWhereTheSubscriberStoodIsCaught() {
        checker.reply("j1", ORDERS, "e1", 0L, false, false);
        events("j1", ORDERS, 1, 3);
        checker.reply("j1", ORDERS, "e1", 6L, true, true);
        checker.event("j1", ORDERS, 5L, "pub1", 5, "n1");         // 4 was not replayed
        checker.reply("j1", ORDERS, "e2", 1L, true, true);        // another epoch cannot be recovered
        Checker.Findings f = checker.finish(Set.of());
        assertThat(kinds(f)).containsExactlyInAnyOrder("gap", "false-recovery");
        assertThat(tally(f, ORDERS).falseRecoveries).isEqualTo(1);
    }

    @Test
    void recoveredFalseIsJustifiedOnlyOutsideTheWindowOrAfterAHistoryLoss() {
        checker.reply("j1", ORDERS, "e1", 0L, false, false);
        events("j1", ORDERS, 1, 2);
        checker.reply("j1", ORDERS, "e1", 20L, false, true);      // 18 missed, the window is 5: justified
        checker.event("j1", ORDERS, 21L, "pub1", 21, "n1");
        checker.reply("j1", ORDERS, "e1", 26L, false, true);      // 5 missed, the window's edge: justified
        checker.reply("j1", ORDERS, "e1", 28L, false, true);      // 2 missed, within the window: not
        checker.reply("j1", ORDERS, "e9", 1L, false, true);       // new epoch, nothing was lost: not
        clock.addAndGet(5000);
        checker.historyLost();
        checker.reply("j1", ORDERS, "e10", 0L, false, true);      // new epoch after a loss: justified
        checker.reply("j1", ORDERS, null, null, false, true);     // store down: justified
        Checker.Findings f = checker.finish(Set.of());
        assertThat(kinds(f)).containsExactly("unjustified-not-recovered", "unjustified-not-recovered");
        assertThat(tally(f, ORDERS).notRecovered).containsKeys("outside the window", "at the window's edge",
                "epoch changed (history lost)", "history store unavailable");
    }

    @Test
    void duplicatesAndReorderingAreViolations() {
        checker.reply("j1", ORDERS, "e1", 0L, false, false);
        events("j1", ORDERS, 1, 3);
        checker.event("j1", ORDERS, 3L, "pub1", 3, "n1");
        checker.published(CHAT, "pub1", 9, "acked");
        checker.published(CHAT, "pub1", 10, "acked");
        checker.reply("j2", CHAT, null, null, false, false);
        checker.event("j2", CHAT, null, "pub1", 10, "n1");
        checker.event("j2", CHAT, null, "pub1", 9, "n1");         // one node's order broken
        checker.event("j2", CHAT, null, "pub1", 10, "n1");        // twice on one connection
        Checker.Findings f = checker.finish(Set.of());
        assertThat(kinds(f)).containsExactly("duplicate", "duplicate", "order"); // order is decided at the end
        assertThat(tally(f, CHAT).orderViolations).isEqualTo(1);
    }

    @Test
    void aPlainMessageWhosePublishGotNoReplyMayArriveAfterTheNextButAnAcknowledgedOneMayNot() {
        // The soak's MongoDB run: pub1:5402 reached 12 connections after pub1:5403. A node handles one
        // connection's requests concurrently; a publisher whose publish timed out sends the next one while the
        // node may still be handling the first.
        checker.published(CHAT, "pub1", 1, "acked");
        checker.published(CHAT, "pub1", 2, "unknown");           // no reply in time: 3 was sent meanwhile
        checker.published(CHAT, "pub1", 3, "acked");
        checker.published(CHAT, "pub1", 4, "acked");
        checker.reply("j1", CHAT, null, null, false, false);
        checker.event("j1", CHAT, null, "pub1", 1, "n1");
        checker.event("j1", CHAT, null, "pub1", 4, "n1");
        checker.event("j1", CHAT, null, "pub1", 2, "n1");        // late, unanswered: allowed
        checker.event("j1", CHAT, null, "pub1", 3, "n1");        // acknowledged before 4 was sent: a violation
        Checker.Findings f = checker.finish(Set.of());
        assertThat(kinds(f)).containsExactly("order");
        assertThat(f.violations().get(0).detail()).contains("pub1:3");
        assertThat(tally(f, CHAT).orderViolations).isEqualTo(1);
        assertThat(tally(f, CHAT).notRecovered).containsEntry("late: its publish got no reply before the next was sent",
                1L);
    }

    @Test
    void theSameOffsetWithDifferentContentIsDivergent() {
        checker.reply("j1", ORDERS, "e1", 0L, false, false);
        checker.reply("j2", ORDERS, "e1", 0L, false, false);
        checker.event("j1", ORDERS, 1L, "pub1", 1, "n1");
        checker.event("j2", ORDERS, 1L, "pub2", 7, "n2");
        assertThat(kinds(checker.finish(Set.of()))).containsExactly("divergent");
    }

    @Test
    void anAcknowledgedDurableMessageNobodyGotIsLostUnlessTheHistoryWasLostAfterIt() {
        checker.reply("j1", ORDERS, "e1", 0L, false, false);
        events("j1", ORDERS, 1, 2);
        checker.published(ORDERS, "pub1", 3, "acked");
        checker.published(ORDERS, "pub1", 4, "failed");           // refused: never promised
        assertThat(kinds(checker.finish(Set.of()))).containsExactly("lost-acked");

        Checker other = new Checker(List.of(new TopicKind(ORDERS, true, 5), new TopicKind(PRICE, true, 1)), clock::get);
        other.published(ORDERS, "pub1", 1, "acked");
        other.historyLost();
        other.published(PRICE, "pub1", 2, "acked");               // a last value nobody got...
        clock.addAndGet(10);
        other.published(PRICE, "pub2", 1, "acked");               // ...superseded by the next
        other.reply("j1", PRICE, "e1", 1L, false, false);
        other.event("j1", PRICE, 2L, "pub2", 1, "n1");
        assertThat(other.finish(Set.of()).violations()).isEmpty();
    }

    @Test
    void theEndWaitsForAcknowledgedCountedMessagesNobodyReceivedYet() {
        checker.reply("j1", ORDERS, "e1", 0L, false, false);
        events("j1", ORDERS, 1, 2);
        checker.published(ORDERS, "pub1", 3, "acked");            // its envelope missed every node so far
        checker.published(ORDERS, "pub1", 4, "failed");           // refused: nothing to wait for
        checker.published(PRICE, "pub1", 1, "acked");             // a last value superseded by the next...
        clock.addAndGet(10);
        checker.published(PRICE, "pub1", 2, "acked");             // ...which must arrive
        checker.published(CHAT, "pub1", 1, "acked");              // plain: at most once
        assertThat(checker.unseenAcked()).isEqualTo(2);

        checker.event("j1", ORDERS, 3L, "pub1", 3, "n2");         // read from the history at an idle check
        checker.reply("j1", PRICE, "e1", 2L, false, false);
        checker.event("j1", PRICE, 2L, "pub1", 2, "n2");
        assertThat(checker.unseenAcked()).isZero();
        assertThat(kinds(checker.finish(Set.of("j1")))).isEmpty();
    }

    @Test
    void aConnectedSubscriberBehindTheOthersAtTheEndIsStale() {
        checker.reply("j1", ORDERS, "e1", 0L, false, false);
        checker.reply("j2", ORDERS, "e1", 0L, false, false);
        events("j1", ORDERS, 1, 3);
        checker.event("j2", ORDERS, 1L, "pub1", 1, "n1");
        assertThat(kinds(checker.finish(Set.of("j1", "j2")))).containsExactly("stale-at-end");
    }

    @Test
    void onlyWhatCameBeforeTheLastRoundMustHaveReachedEveryone() {
        checker.reply("j1", ORDERS, "e1", 0L, false, false);
        checker.reply("j2", ORDERS, "e1", 0L, false, false);
        checker.reply("j3", ORDERS, "e1", 0L, false, false);
        events("j1", ORDERS, 1, 2);
        checker.event("j2", ORDERS, 1L, "pub1", 1, "n1");
        checker.event("j2", ORDERS, 2L, "pub1", 2, "n1");
        checker.event("j3", ORDERS, 1L, "pub1", 1, "n1");
        checker.settle();
        checker.event("j1", ORDERS, 3L, "pub1", 3, "n1");         // the last round: j2's node missed it
        Checker.Findings f = checker.finish(Set.of("j1", "j2", "j3"));
        assertThat(kinds(f)).containsExactly("stale-at-end");
        assertThat(f.violations().get(0).subscriber()).isEqualTo("j3");
        assertThat(f.tailMissing()).isEqualTo(1);
    }

    @Test
    void aLastValueTopicDeliversItsLatestRightAfterTheReplyAndLiveOffsetsRestartAfterALoss() {
        checker.reply("j1", PRICE, "e1", 7L, false, false);
        checker.event("j1", PRICE, 7L, "pub1", 7, "n1");          // the last value, then live
        checker.event("j1", PRICE, 8L, "pub1", 8, "n1");
        clock.addAndGet(5000);
        checker.historyLost();
        checker.event("j1", PRICE, 1L, "pub1", 9, "n1");          // the new epoch, heard live
        checker.event("j1", PRICE, 2L, "pub1", 10, "n1");
        clock.addAndGet(5000);
        checker.reply("j1", PRICE, null, null, false, true);       // store down: the client keeps its position
        checker.event("j1", PRICE, 3L, "pub1", 11, "n1");          // and follows whatever comes live
        checker.reply("j1", PRICE, "e2", 5L, false, true);        // resumes with `since`: nothing replayed
        checker.event("j1", PRICE, 6L, "pub1", 14, "n1");
        checker.reply("j2", PRICE, null, null, false, false);      // never had a position
        checker.reply("j2", PRICE, "e2", 6L, false, true);        // so no `since`: the last value follows
        checker.event("j2", PRICE, 6L, "pub1", 14, "n1");
        Checker.Findings f = checker.finish(Set.of("j1", "j2"));
        assertThat(f.violations()).isEmpty();
        assertThat(tally(f, PRICE).liveEpochRestarts).isEqualTo(1);
        assertThat(tally(f, PRICE).notRecovered).containsKeys("history store unavailable", "no position to resume from",
                "epoch changed (history lost)");
    }

    @Test
    void eventsLoggedBeforeTheirReplyAreCheckedAfterIt() {
        checker.event("s1", ORDERS, 4L, "pub1", 4, "n1");
        checker.reply("s1", ORDERS, "e1", 3L, false, false);
        checker.event("s1", ORDERS, 5L, "pub1", 5, "n1");
        assertThat(checker.finish(Set.of()).violations()).isEmpty();
    }

    @Test
    void thePlainLossRateCountsAcknowledgedMessagesMissedWithinWhatASubscriberSaw() {
        checker.reply("j1", CHAT, null, null, false, false);
        for (int s = 1; s <= 10; s++) {
            checker.published(CHAT, "pub1", s, "acked");
            if (s != 5 && s != 6) {
                checker.event("j1", CHAT, null, "pub1", s, "n1");
            }
        }
        Checker.Findings f = checker.finish(Set.of());
        assertThat(f.violations()).isEmpty();
        assertThat(tally(f, CHAT).lossRate()).isEqualTo(0.2);
    }
}
