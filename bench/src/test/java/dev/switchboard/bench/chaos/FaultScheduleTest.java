package dev.switchboard.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The schedule is a function of the seed, covers every kind, and leaves the end of the run quiet. */
class FaultScheduleTest {

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
        List<Fault> a = FaultSchedule.draw(42, 600_000, 10_000, 3);
        assertThat(FaultSchedule.draw(42, 600_000, 10_000, 3)).isEqualTo(a);
        assertThat(FaultSchedule.draw(43, 600_000, 10_000, 3)).isNotEqualTo(a);
    }

    @Test
    void everyKindComesInEachRoundAndNothingStartsInTheLastTenth() {
        List<Fault> faults = FaultSchedule.draw(7, 120_000, 5_000, 3);
        Set<Fault.Kind> firstRound = faults.subList(0, Fault.Kind.values().length).stream().map(Fault::kind)
                .collect(Collectors.toSet());
        assertThat(firstRound).containsExactlyInAnyOrder(Fault.Kind.values());
        assertThat(faults).allSatisfy(f -> {
            assertThat(f.atMillis()).isLessThan(108_000);
            assertThat(f.node()).isBetween(0, 2);
        });
        assertThat(faults).extracting(Fault::atMillis).isSorted();
    }
}
