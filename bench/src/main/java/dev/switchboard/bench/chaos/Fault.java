package dev.switchboard.bench.chaos;

/**
 * One fault of the schedule.
 *
 * @param atMillis when, from the start of the load
 * @param kind what
 * @param node the node it hits (node faults, partitions), else 0
 * @param millis how long it lasts (down time, partition, pause)
 * @param share the fraction of the subscribers' connections it hits (cuts, slow consumers)
 */
record Fault(long atMillis, Kind kind, int node, long millis, double share) {

    /** The kinds of fault. */
    enum Kind {
        /** {@code kill -9} of a node, started again after {@code millis}. */
        NODE_KILL("node-kill"),
        /** SIGTERM to a node (it closes its connections with 1001), started again at once. */
        NODE_RESTART("node-restart"),
        /** The backplane server crashed and started again after {@code millis}, with its data. */
        BACKPLANE_CRASH("backplane-crash"),
        /** The backplane server crashed and started again after {@code millis}, empty: history lost. */
        BACKPLANE_WIPE("backplane-wipe"),
        /** A node cut off from the backplane server for {@code millis} (its proxy refuses everything). */
        PARTITION("partition"),
        /** A share of the subscribers' connections reset (RST): they reconnect, to any node. */
        CLIENT_CUT("client-cut"),
        /** A share of the subscribers' connections not read for {@code millis}: slow consumers. */
        SLOW_CONSUMER("slow-consumer");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** @return one line for the printed schedule */
    String describe() {
        String what = switch (kind) {
            case NODE_KILL -> "kill -9 " + Nodes.id(node) + ", back after " + millis + " ms";
            case NODE_RESTART -> "graceful restart of " + Nodes.id(node);
            case BACKPLANE_CRASH -> "backplane server crash, back with its data after " + millis + " ms";
            case BACKPLANE_WIPE -> "backplane server crash, back empty after " + millis + " ms";
            case PARTITION -> Nodes.id(node) + " cut off from the backplane for " + millis + " ms";
            case CLIENT_CUT -> "reset " + Math.round(share * 100) + "% of the subscribers' connections";
            case SLOW_CONSUMER -> Math.round(share * 100) + "% of the subscribers stop reading for " + millis + " ms";
        };
        return String.format("t+%6.1fs %-16s %s", atMillis / 1000.0, kind.label, what);
    }
}
