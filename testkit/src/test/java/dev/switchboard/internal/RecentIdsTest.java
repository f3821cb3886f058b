package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecentIdsTest {
    private final MutableClock clock = new MutableClock();

    @Test
    void anIdIsARepeatUntilItsWindowEnds() {
        RecentIds ids = new RecentIds(Duration.ofMinutes(10), 100, clock);
        assertThat(ids.add("a")).isTrue();
        assertThat(ids.add("a")).isFalse();
        clock.advance(Duration.ofMinutes(5));
        assertThat(ids.add("b")).isTrue();
        assertThat(ids.add("a")).isFalse();
        clock.advance(Duration.ofMinutes(5));
        assertThat(ids.add("a")).as("10 minutes after it was added").isTrue();
        assertThat(ids.add("b")).isFalse();
        assertThat(ids.size()).isEqualTo(2);
    }

    @Test
    void theOldestAreForgottenPastTheCapacity() {
        RecentIds ids = new RecentIds(Duration.ofMinutes(10), 3, clock);
        for (String id : new String[] {"a", "b", "c", "d"}) {
            assertThat(ids.add(id)).isTrue();
        }
        assertThat(ids.size()).isEqualTo(3);
        assertThat(ids.add("a")).as("evicted first").isTrue();
        assertThat(ids.add("d")).isFalse();
    }

    @Test
    void aRemovedIdMayComeAgainAndAZeroWindowRemembersNothing() {
        RecentIds ids = new RecentIds(Duration.ofMinutes(10), 3, clock);
        ids.add("a");
        ids.remove("a");
        assertThat(ids.add("a")).isTrue();
        RecentIds off = new RecentIds(Duration.ZERO, 3, clock);
        assertThat(off.add("a")).isTrue();
        assertThat(off.add("a")).isTrue();
    }
}
