package dev.switchboard.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10), 2.0);

    @Test
    void capDoublesPerAttemptUntilTheMaximum() {
        assertThat(backoff.cap(0)).isEqualTo(Duration.ofMillis(250));
        assertThat(backoff.cap(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.cap(2)).isEqualTo(Duration.ofMillis(1000));
        assertThat(backoff.cap(5)).isEqualTo(Duration.ofMillis(8000));
        assertThat(backoff.cap(6)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.cap(7)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void hugeAttemptNumbersStayAtTheMaximumInsteadOfOverflowing() {
        assertThat(backoff.cap(2_000)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.cap(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.cap(-3)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void fullJitterDrawsUniformlyBetweenZeroAndTheCap() {
        assertThat(backoff.delay(2, 0.0)).isEqualTo(Duration.ZERO);
        assertThat(backoff.delay(2, 0.5)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(2, 0.999_999)).isLessThan(Duration.ofMillis(1000)).isGreaterThan(Duration.ofMillis(999));
        assertThat(backoff.delay(40, 0.25)).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void multiplierOneGivesAConstantCap() {
        Backoff constant = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), 1.0);
        assertThat(constant.cap(0)).isEqualTo(constant.cap(30)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backoff.delay(0, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backoff.delay(0, -0.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
