package dev.switchboard.bench.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The faults of a run, drawn from its seed alone: the same seed and options give the same schedule, so a
 * failing run can be replayed with {@code --seed}. Faults come in rounds that hold every kind once in a
 * random order, spaced by a random interval around {@code --fault-interval}, until the duration is over.
 */
final class FaultSchedule {

    private FaultSchedule() {
    }

    /**
     * @param seed the run's seed
     * @param durationMillis the load's duration; no fault starts in its last tenth
     * @param intervalMillis the mean time between two faults' starts
     * @param nodes how many nodes
     * @return the faults in time order
     */
    static List<Fault> draw(long seed, long durationMillis, long intervalMillis, int nodes) {
        Random r = new Random(seed);
        List<Fault> out = new ArrayList<>();
        long t = intervalMillis / 2;
        List<Fault.Kind> round = new ArrayList<>();
        while (t < durationMillis * 9 / 10) {
            if (round.isEmpty()) {
                round.addAll(Arrays.asList(Fault.Kind.values()));
                Collections.shuffle(round, r);
            }
            Fault.Kind kind = round.remove(0);
            int node = r.nextInt(nodes);
            long millis = switch (kind) {
                case NODE_KILL, BACKPLANE_CRASH, BACKPLANE_WIPE, PARTITION -> 1000 + r.nextInt(5000);
                case SLOW_CONSUMER -> 5_000 + r.nextInt((int) Math.max(5_000, Math.min(25_000, durationMillis / 4)));
                default -> 0;
            };
            double share = kind == Fault.Kind.CLIENT_CUT ? 0.05 + r.nextDouble() * 0.25
                    : kind == Fault.Kind.SLOW_CONSUMER ? 0.02 + r.nextDouble() * 0.08 : 0;
            out.add(new Fault(t, kind, node, millis, share));
            t += intervalMillis / 2 + (long) (r.nextDouble() * intervalMillis);
        }
        return out;
    }
}
