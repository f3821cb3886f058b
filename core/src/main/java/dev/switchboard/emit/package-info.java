/**
 * Routing messages from other services "like the emit API does": {@link dev.switchboard.emit.EmitMessage}
 * (the body of {@code POST /api/emit}, parsed and validated), and the node's
 * {@link dev.switchboard.emit.EmitService}, which turns one into a routed event exactly once per id
 * within a window. The HTTP endpoint ({@code dev.switchboard.http.EmitHttpService}) and event sources
 * that read brokers both go through it.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.emit;
