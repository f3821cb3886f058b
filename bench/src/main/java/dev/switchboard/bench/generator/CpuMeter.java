package dev.switchboard.bench.generator;

import dev.switchboard.bench.server.ServerStats;

/** Measures this process's CPU use over an interval, in cores (CPU seconds per wall second). */
final class CpuMeter {
    private final long cpu0 = ServerStats.processCpuNanos();
    private final long wall0 = System.nanoTime();

    /** @return CPU seconds used per wall second since construction (1.0 = one core saturated) */
    double cores() {
        long wall = System.nanoTime() - wall0;
        long cpu = ServerStats.processCpuNanos() - cpu0;
        return wall <= 0 || cpu0 < 0 ? Double.NaN : (double) cpu / wall;
    }
}
