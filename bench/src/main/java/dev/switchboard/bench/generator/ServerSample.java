package dev.switchboard.bench.generator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * One answer of the server's {@code stats} request, taken at a local instant, so two samples give the
 * server's CPU use over a run (see {@link dev.switchboard.bench.server.ServerStats} for the fields).
 */
record ServerSample(long atNanos, long cpuNanos, long heapUsedBytes, long rssBytes, long gcCount, long gcMillis,
                    int connections, String gc, long allocatedBytes, long contextSwitches) {

    /**
     * @param control a connection to the server
     * @param gcFirst ask the server to collect garbage first (heap = live set)
     * @return the sample, or one of -1s when the server does not answer {@code stats}
     */
    static ServerSample take(ControlSocket control, boolean gcFirst) {
        long at = System.nanoTime();
        try {
            JsonNode s = control.await("stats", gcFirst ? "{\"gc\":true}" : "{}", Duration.ofSeconds(30));
            return new ServerSample(at, s.path("cpuNanos").asLong(-1), s.path("heapUsedBytes").asLong(-1),
                    s.path("rssBytes").asLong(-1), s.path("gcCount").asLong(-1), s.path("gcMillis").asLong(-1),
                    s.path("connections").asInt(-1), s.path("gc").asText("?"), s.path("allocatedBytes").asLong(-1),
                    s.path("contextSwitches").asLong(-1));
        } catch (IllegalStateException e) {
            return new ServerSample(at, -1, -1, -1, -1, -1, -1, "?", -1, -1);
        }
    }

    /** @param later a later sample @return the server's CPU use in between, in cores */
    double coresUntil(ServerSample later) {
        if (cpuNanos < 0 || later.cpuNanos < 0) {
            return Double.NaN;
        }
        return (double) (later.cpuNanos - cpuNanos) / Math.max(1, later.atNanos - atNanos);
    }

    /**
     * @param later a later sample
     * @param per what to divide by (messages or calls)
     * @param f the figures to add {@code srv_alloc_bytes_per_<unit>} and {@code srv_cs_per_<unit>} to
     * @param unit {@code msg} or {@code call}
     */
    void addPerUnit(ServerSample later, long per, Figures f, String unit) {
        if (allocatedBytes >= 0 && later.allocatedBytes >= 0) {
            f.decimal("srv_alloc_bytes_per_" + unit, (later.allocatedBytes - allocatedBytes) / (double) Math.max(1, per), 0);
        }
        if (contextSwitches >= 0 && later.contextSwitches >= 0) {
            f.decimal("srv_cs_per_" + unit, (later.contextSwitches - contextSwitches) / (double) Math.max(1, per), 2);
        }
    }

    /** Adds the server's side of a run to the figures: CPU in cores and GC count/time in between. */
    void addUntil(ServerSample later, Figures f) {
        f.decimal("srv_cpu", coresUntil(later), 2);
        if (gcCount >= 0 && later.gcCount >= 0) {
            f.count("srv_gcs", later.gcCount - gcCount);
            f.count("srv_gc_ms", later.gcMillis - gcMillis);
        }
    }
}
