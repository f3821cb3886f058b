/**
 * Switchboard's application API: the node, connections, identities, audiences, handlers and errors.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard;
