package dev.switchboard.client.internal;

import dev.switchboard.ConnectionClosedException;
import dev.switchboard.SwitchboardException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Small helpers for {@link java.util.concurrent.CompletableFuture} outcomes. */
public final class Futures {
    private Futures() {
    }

    /**
     * @param error a failure as seen by a dependent stage
     * @return the underlying cause, without {@link CompletionException} or {@link ExecutionException}
     *     wrappers
     */
    public static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * @param what what could not be written, e.g. {@code request "echo"}
     * @param error the write's failure
     * @return the failure to give the caller: the connection is unusable
     */
    public static SwitchboardException writeFailed(String what, Throwable error) {
        return new ConnectionClosedException("could not write " + what + ": " + unwrap(error).getMessage());
    }
}
