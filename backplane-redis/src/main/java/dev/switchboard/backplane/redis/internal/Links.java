package dev.switchboard.backplane.redis.internal;

import io.lettuce.core.api.StatefulConnection;
import java.util.concurrent.CompletableFuture;

/** Helpers for opening a {@link Link}'s connections all or nothing. */
final class Links {

    private Links() {
    }

    /**
     * @param result the link being built
     * @param connections the connection attempts it is built from
     * @return {@code result}; when it fails, every connection that did open is closed
     */
    @SafeVarargs
    static CompletableFuture<Link> closeOnFailure(CompletableFuture<Link> result,
                                                  CompletableFuture<? extends StatefulConnection<?, ?>>... connections) {
        return result.whenComplete((link, failure) -> {
            if (failure != null) {
                for (CompletableFuture<? extends StatefulConnection<?, ?>> c : connections) {
                    c.whenComplete((conn, e) -> {
                        if (conn != null) {
                            conn.closeAsync();
                        }
                    });
                }
            }
        });
    }
}
