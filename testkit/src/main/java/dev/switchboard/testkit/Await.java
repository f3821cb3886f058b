package dev.switchboard.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes: for outcomes that have no event to wait on. */
public final class Await {

    private Await() {
    }

    /**
     * @param timeout how long to wait
     * @param condition what must become true
     * @param what a description for the failure message
     * @throws AssertionError if the condition still does not hold after the timeout
     */
    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            LockSupport.parkNanos(10_000_000);
        }
    }
}
