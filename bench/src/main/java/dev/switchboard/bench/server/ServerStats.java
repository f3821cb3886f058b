package dev.switchboard.bench.server;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures a bench server reports for the {@code stats} request: what the generator needs to tell
 * which side saturated (process CPU time) and what a connection costs (heap after GC, RSS).
 *
 * <p>Reply shape (all numbers): {@code connections, heapUsedBytes, rssBytes, cpuNanos, uptimeMillis,
 * gcCount, gcMillis, threads, availableProcessors, allocatedBytes, contextSwitches} plus {@code gc} naming the collectors. With
 * {@code {"gc":true}} the heap figure is taken after {@link System#gc()}, so it counts live objects only.
 */
public final class ServerStats {

    private ServerStats() {
    }

    /**
     * Collects the figures; blocks for the collections when {@code gcFirst}.
     *
     * @param connections how many WebSocket connections this process holds
     * @param gcFirst run full collections first so heap used is the live set
     * @return the reply data, in a stable order
     */
    public static Map<String, Object> collect(int connections, boolean gcFirst) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        if (gcFirst) {
            // Two rounds: the first may only enqueue finalizable/cleanable objects.
            System.gc();
            System.gc();
        }
        long gcCount = 0;
        long gcMillis = 0;
        StringBuilder collectors = new StringBuilder();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
            collectors.append(collectors.length() == 0 ? "" : "+").append(gc.getName().replace(' ', '_'));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connections", connections);
        out.put("heapUsedBytes", memory.getHeapMemoryUsage().getUsed());
        out.put("rssBytes", rssBytes());
        out.put("cpuNanos", processCpuNanos());
        out.put("uptimeMillis", ManagementFactory.getRuntimeMXBean().getUptime());
        out.put("gcCount", gcCount);
        out.put("gcMillis", gcMillis);
        out.put("gc", collectors.toString());
        out.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        out.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        out.put("allocatedBytes", allocatedBytes());
        out.put("contextSwitches", contextSwitches());
        return out;
    }

    /**
     * @return voluntary plus involuntary context switches of this process's live threads so far (Linux,
     *     {@code /proc/self/task/*}/status), or -1 elsewhere: the hand-offs between threads a message
     *     costs, counted rather than timed, so the figure holds on a busy machine
     */
    public static long contextSwitches() {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            long total = 0;
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                            total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException | RuntimeException threadEnded) {
                    // a thread that ended meanwhile takes its count with it
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * @return bytes allocated on the heap so far by the threads alive now (HotSpot's per-thread TLAB
     *     counters), or -1 where the JVM cannot tell. Threads that ended take their count with them, so
     *     the difference of two samples is exact only when the pools kept their threads in between (the
     *     bench server's do).
     */
    public static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            long total = 0;
            for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
                total += Math.max(0, a);
            }
            return total;
        }
        return -1;
    }

    /** @return this process's CPU time (user + system) in nanoseconds, or -1 where the JVM cannot tell */
    public static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** @return the resident set size from {@code /proc/self/status} (VmRSS), or -1 off Linux */
    public static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // the kernel reports kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
