package dev.switchboard.bench.chaos;

import java.nio.file.Path;
import java.util.List;

/**
 * A backplane server the soak owns: started empty on a free port of 127.0.0.1, crashed and started again
 * with or without its data. Adding a backplane to the soak is one implementation of this interface and
 * one line in {@link BackplaneServers}. Methods block until the server is up or gone.
 */
interface BackplaneServer extends AutoCloseable {

    /** @return the backplane's name in reports: {@code redis}, {@code postgres}, {@code mongo}, {@code nats}, {@code kafka} */
    String name();

    /**
     * Called once, before {@link #start}, with the ports of the nodes' proxies (node i's at index i). A server
     * whose clients connect to the addresses it hands out (Kafka's advertised listeners) must hand out these,
     * or the nodes would bypass their proxies; the others ignore them.
     *
     * @param proxyPorts the proxies' ports
     */
    default void proxiedBy(List<Integer> proxyPorts) {
    }

    /**
     * Starts the server, empty.
     *
     * @param dir a directory of its own for data and logs
     * @throws Exception when it does not start
     */
    void start(Path dir) throws Exception;

    /** @return the port the server listens on (the nodes reach it through their own proxies) */
    int port();

    /**
     * @param node a node's index
     * @return the port node {@code node}'s proxy forwards to: {@link #port()} unless the server has a listener
     *     per node
     */
    default int port(int node) {
        return port();
    }

    /**
     * @param port the port a node reaches the server on (its proxy's)
     * @return the {@code --backplane} URI for that node
     */
    String nodeUri(int port);

    /**
     * Crashes the server: {@code kill -9} where it is a process of its own, or every connection and the
     * listener dropped at once.
     *
     * @param keepData whether {@link #restart()} brings the data back (a persisted store) or starts empty
     * @return what was done, for the fault log
     * @throws Exception when it cannot be stopped
     */
    String crash(boolean keepData) throws Exception;

    /**
     * Starts the server again on the same port, with or without data as {@link #crash} said.
     *
     * @throws Exception when it does not start
     */
    void restart() throws Exception;

    /**
     * @return false when the backplane's history takes an offset and stores the message in two writes, so
     *     that a crash between them leaves a hole (an offset that never had a message); the checker then
     *     reports such holes instead of failing on them. True by default.
     */
    default boolean atomicHistory() {
        return true;
    }

    /** Stops the server for good and frees what it holds. */
    @Override
    void close();
}
