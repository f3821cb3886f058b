package dev.switchboard.bench.generator;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Helpers shared by the scenarios. */
final class Scenarios {
    private Scenarios() {
    }

    /**
     * Waits for a setup step (connect, welcome, join).
     *
     * @param f the step
     * @param what what it is, for the error
     * @throws InterruptedException when interrupted
     * @throws IllegalStateException when it failed or took over 60 s
     */
    static void await(CompletableFuture<?> f, String what) throws InterruptedException {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " took over 60 s", e);
        }
    }
}
