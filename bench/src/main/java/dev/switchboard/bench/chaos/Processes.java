package dev.switchboard.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Starting, awaiting and killing the soak's child processes. */
final class Processes {
    /** Generous: on a loaded machine (load average 50 on 2 cores) a node's JVM has taken more than a minute. */
    private static final long START_TIMEOUT_MS = 180_000;

    private Processes() {
    }

    /** @return a port that was free a moment ago on 127.0.0.1 */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param command the command line
     * @param log where its output goes (appended)
     * @return the started process
     * @throws IOException when it cannot be started
     */
    static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /**
     * Polls until {@code ready}, failing when the process exits first or three minutes pass.
     *
     * @param what for the error
     * @param process the process
     * @param ready the readiness probe
     * @throws InterruptedException when interrupted
     */
    static void await(String what, Process process, BooleanSupplier ready) throws InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!ready.getAsBoolean()) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(what + " exited with " + process.exitValue());
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(what + " did not start within " + START_TIMEOUT_MS + " ms");
            }
            Thread.sleep(50); // polling a process that is starting: there is no event to wait on
        }
    }

    /**
     * Sends SIGKILL to a process and its descendants and waits until the process is gone.
     *
     * @param p the process
     */
    static void kill9(ProcessHandle p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            p.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("process " + p.pid() + " did not die", e);
        }
    }

    /** @param p the process */
    static void kill9(Process p) {
        kill9(p.toHandle());
    }

    /**
     * Sends SIGTERM and waits up to {@code seconds}, then SIGKILL.
     *
     * @param p the process
     * @param seconds grace
     */
    static void terminate(Process p, int seconds) {
        p.destroy();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                kill9(p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill9(p);
        }
    }

    /** @param path a file or directory to delete with everything in it */
    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
