/**
 * The Java client of Switchboard's wire protocol v1.
 *
 * <p>Entry point: {@link dev.switchboard.client.SwitchboardClient#connect(ClientOptions)}. Everything
 * asynchronous returns a {@link java.util.concurrent.CompletableFuture}; listeners and handlers run on
 * the client's callback executor, never on the WebSocket I/O thread.
 *
 * <p>Nullability: parameters and return values are non-null unless their Javadoc says otherwise;
 * public methods check with {@link java.util.Objects#requireNonNull(Object, String)}.
 */
package dev.switchboard.client;
